/**
 * `byline run` on its schedule, as an operator runs it: a feed asking to be
 * read once per period of the schedule is read at every tick.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { BIN, startCli } from '../helpers/cli.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { fixture, writeConfig } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-schedule-');
let server: FixtureServer;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
});
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.close());

function terminate(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

it('reads a feed whose max-age is the schedule period at every tick', async () => {
  // Every 2 s, and a feed without a ttl that asks for 2 s (the floor lowered to match).
  const body = fixture('lab-rss2.xml').replace(/<ttl>\d+<\/ttl>/, '');
  server.route('/lab.xml', { body, type: 'application/rss+xml', headers: { 'Cache-Control': 'max-age=2' } });
  const cwd = tempDir();
  writeConfig(cwd, server, [{ id: 'lab', name: 'Lab', path: '/lab.xml' }], 'schedule: "*/2 * * * * *"\n', { minIntervalMinutes: 2 / 60 });
  const { child, output } = await startCli(['run', '--port', '0', '--no-initial-cycle'], cwd, /event=listening/);
  try {
    await expect.poll(() => output().match(/event=cycle /g)?.length ?? 0, { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(5);
    const cycles = output().match(/event=cycle sources=\d+ skipped=\d+/g)!;
    expect(cycles.slice(0, 5)).toEqual(Array(5).fill('event=cycle sources=1 skipped=0'));
    expect(await terminate(child)).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
});
