/**
 * The set-up every suite of the built CLI shares: the binary must exist, and
 * each test gets a fixture server serving the fixture feeds and a fresh
 * working folder to run `byline` in.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { BIN } from './cli.js';
import { serveFixtures } from './fixture-feeds.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { useTempDirs } from './tmp.js';

export interface CliWorkspace {
  server: FixtureServer;
  cwd: string;
}

/**
 * Registers the hooks; `use` receives each test's workspace before the
 * suite's own beforeEach hooks run. Returns the suite's temp-folder maker,
 * for the further folders a test needs.
 */
export function useCliWorkspace(prefix: string, use: (workspace: CliWorkspace) => void): () => string {
  const tempDir = useTempDirs(prefix);
  let server: FixtureServer | null = null;
  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
  });
  beforeEach(async () => {
    server = await startFixtureServer();
    serveFixtures(server);
    use({ server, cwd: tempDir() });
  });
  afterEach(() => server?.close());
  return tempDir;
}
