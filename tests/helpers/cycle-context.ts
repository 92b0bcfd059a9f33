/**
 * The set-up the cycle tests share: a fixture server started before each
 * test, and byline's own composition (config folder, SQLite store, fetcher,
 * parse pool) opened over a fresh temporary folder; both are closed after
 * the test, the context first, before the folder is removed.
 */
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { writeConfig, type FixtureSource } from './fixture-feeds.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { useTempDirs } from './tmp.js';

/** A context a test opened, with where its files are. */
export type OpenedContext = Context & { dir: string; storeFile: string };

export interface CycleTestContext {
  /** This test's fixture server. */
  readonly server: FixtureServer;
  /** Writes a config of `sources` (plus `settings`, YAML) into a new folder and opens a context with a SQLite store there. */
  open(sources: FixtureSource[], settings?: string): Promise<OpenedContext>;
}

export function useCycleContext(prefix: string): CycleTestContext {
  const tempDir = useTempDirs(prefix);
  let server: FixtureServer | null = null;
  const opened: Context[] = [];
  beforeEach(async () => {
    server = await startFixtureServer();
  });
  // Registered after useTempDirs' own hook, so it runs before the folders go.
  afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
    await server?.close();
    server = null;
  });
  const current = (): FixtureServer => {
    if (!server) throw new Error('useCycleContext: no fixture server outside a test');
    return server;
  };
  return {
    get server() {
      return current();
    },
    async open(sources, settings = '') {
      const dir = tempDir();
      writeConfig(dir, current(), sources, settings);
      const storeFile = path.join(dir, 'byline.sqlite');
      const context = await openContext({ config: path.join(dir, 'feeds'), store: `sqlite:${storeFile}` }, { create: true });
      opened.push(context);
      return { ...context, dir, storeFile };
    },
  };
}
