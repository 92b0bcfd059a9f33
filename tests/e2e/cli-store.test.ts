/**
 * Which commands create the store: those that run cycles (fetch, run). Those
 * that only read it (sources, build) refuse a SQLite file that is not there,
 * naming it, and create nothing, so a mistyped --store is not taken for an
 * empty store (a table of sources that never fetched, a build of empty feeds).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { GOOD_SOURCES, writeConfig } from '../helpers/fixture-feeds.js';
import { useCliWorkspace } from '../helpers/cli-workspace.js';

let server: FixtureServer;
let cwd: string;
useCliWorkspace('byline-cli-store-', (workspace) => ({ server, cwd } = workspace));

beforeEach(() => {
  writeConfig(cwd, server, GOOD_SOURCES.slice(0, 2));
});

const READERS: [string, string[]][] = [
  ['sources', ['sources']],
  ['sources --json', ['sources', '--json']],
  ['build', ['build', '--out', 'public']],
];

describe('a command that only reads the store', () => {
  it.each(READERS)('%s refuses a mistyped --store path, naming it, and creates nothing', async (_name, args) => {
    const result = await runCli([...args, '--store', 'sqlite:./cahce/byline.sqlite'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `byline: store_error: store(sqlite): no store at ${path.join(cwd, 'cahce', 'byline.sqlite')}: check the path, or fetch into it first (byline fetch or byline run create it)\n`,
    );
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual(['feeds']);
  });

  it.each(READERS)('%s refuses a missing file in a folder that exists, and leaves the folder as it was', async (_name, args) => {
    mkdirSync(path.join(cwd, 'data'));
    const result = await runCli(args, cwd, { BYLINE_STORE: 'sqlite:data/byline.sqlite' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no store at ${path.join(cwd, 'data', 'byline.sqlite')}`);
    expect(readdirSync(path.join(cwd, 'data'))).toEqual([]);
  });

  it.each(READERS)('%s refuses the default store before any cycle made it', async (_name, args) => {
    const result = await runCli(args, cwd, { BYLINE_STORE: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no store at ${path.join(cwd, 'cache', 'byline.sqlite')}`);
    expect(readdirSync(cwd)).toEqual(['feeds']);
  });
});

describe('a command that runs cycles', () => {
  it('fetch creates the default store on first use, which the readers then read', async () => {
    const fetched = await runCli(['fetch'], cwd, { BYLINE_STORE: '' });
    expect(fetched.code).toBe(0);
    expect(existsSync(path.join(cwd, 'cache', 'byline.sqlite'))).toBe(true);
    const sources = await runCli(['sources', '--json'], cwd, { BYLINE_STORE: '' });
    expect(sources.code).toBe(0);
    expect((JSON.parse(sources.stdout) as { id: string; items: number }[]).map((row) => [row.id, row.items])).toEqual([
      ['lab', 2],
      ['cloud', 2],
    ]);
    expect((await runCli(['build', '--out', 'public'], cwd, { BYLINE_STORE: '' })).code).toBe(0);
  });

  it('fetch creates a store at a --store path, its folder included', async () => {
    const fetched = await runCli(['fetch', '--store', 'sqlite:state/new/byline.sqlite'], cwd);
    expect(fetched.code).toBe(0);
    expect(existsSync(path.join(cwd, 'state', 'new', 'byline.sqlite'))).toBe(true);
  });

  it('run creates the store on first use, even without a cycle at start-up', async () => {
    const { child } = await startCli(['run', '--port', '0', '--no-initial-cycle', '--store', 'sqlite:served/byline.sqlite'], cwd, /event=listening/);
    try {
      expect(existsSync(path.join(cwd, 'served', 'byline.sqlite'))).toBe(true);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
