/**
 * The built `byline` binary writing into a pipe its reader closes early, as
 * `byline sources --json | head -c 100` or `byline fetch | head -1` do: the
 * command stops writing and finishes its work, with its own exit code and no
 * stack trace.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnCli, runCli, type CliResult } from '../helpers/cli.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { fixture, GOOD_SOURCES, serveFixtures, writeConfig, type FixtureSource } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';
import { openSqliteStore } from '../../src/store/index.js';

const tempDir = useTempDirs('byline-pipe-');
let server: FixtureServer;
let cwd: string;

beforeEach(async () => {
  server = await startFixtureServer();
  serveFixtures(server);
  cwd = tempDir();
});
afterEach(() => server.close());

/** Runs `byline ...args` and closes its stdout, as `head` does, once the first bytes have arrived. */
async function readFirstBytes(args: string[]): Promise<CliResult & { first: string }> {
  const { child, result } = spawnCli(args, cwd);
  const first = await new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  child.stdout!.destroy();
  return { ...(await result), first };
}

describe('stdout closed by its reader', () => {
  it('sources --json: stops writing and exits 0, without a stack trace', async () => {
    // About a megabyte of JSON: far more than a pipe holds, so writing goes on after the reader has gone.
    const many: FixtureSource[] = Array.from({ length: 2000 }, (_, i) => ({ id: `s${i}`, name: `Source ${i}`, path: `/s${i}.xml` }));
    writeConfig(cwd, server, many);
    const store = await openSqliteStore({ file: path.join(cwd, 'cache', 'byline.sqlite') });
    await store.close();

    const result = await readFirstBytes(['sources', '--json']);
    expect(result.first.startsWith('[')).toBe(true);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('fetch: finishes the cycle, stores every source and releases the store', async () => {
    // One slow source: its line comes after the reader has gone.
    server.route('/slow.xml', (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(fixture('lab-rss2.xml')), 500);
    });
    writeConfig(cwd, server, [...GOOD_SOURCES, { id: 'slow', name: 'Slow Lab', path: '/slow.xml' }]);

    const result = await readFirstBytes(['fetch']);
    expect(result.first).toMatch(/source=/);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const sources = await runCli(['sources', '--json'], cwd);
    const rows = JSON.parse(sources.stdout) as Array<{ id: string; status: string; lastSuccessAt: string | null }>;
    expect(rows.map((row) => [row.id, row.status, row.lastSuccessAt !== null])).toEqual([...GOOD_SOURCES.map((s) => [s.id, 'ok', true]), ['slow', 'ok', true]]);
    // The cycle lock was released on the way out: the next fetch runs at once.
    expect((await runCli(['fetch'], cwd)).code).toBe(0);
  });
});
