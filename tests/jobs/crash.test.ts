/**
 * Crash safety: a cycle killed with SIGKILL at an arbitrary point leaves a
 * store the next start reads without error, with nothing lost or duplicated
 * (the next cycle takes the killed one's lock over at once).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli, startCli } from '../helpers/cli.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { writeConfig, type FixtureSource } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';
import { existsSync } from 'node:fs';

const tempDir = useTempDirs('byline-crash-');
const SOURCES = 40;
const ITEMS = 5;
let server: FixtureServer;
let cwd: string;
let sources: FixtureSource[];

function feed(n: number): string {
  const items = Array.from({ length: ITEMS }, (_, i) => `
    <item><title>Source ${n} item ${i}</title><link>https://s${n}.example/posts/${i}</link>
    <guid isPermaLink="false">s${n}-${i}</guid><pubDate>Wed, 25 Nov 2026 ${String(10 + i).padStart(2, '0')}:00:00 GMT</pubDate>
    <description>&lt;p&gt;Body ${n}/${i}&lt;/p&gt;</description></item>`);
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>S${n}</title><link>https://s${n}.example/</link>
    <description>d</description>${items.join('')}</channel></rss>`;
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
});
beforeEach(async () => {
  server = await startFixtureServer();
  cwd = tempDir();
  sources = [];
  for (let n = 0; n < SOURCES; n++) {
    const body = feed(n);
    // Slow, uneven responses so the kill lands while some sources are mid-flight and others are committing.
    server.route(`/s${n}.xml`, (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(body), 20 + ((n * 37) % 90));
    });
    sources.push({ id: `s${n}`, name: `Source ${n}`, path: `/s${n}.xml` });
  }
  writeConfig(cwd, server, sources, '', { concurrency: 4, perHostConcurrency: 4 });
});
afterEach(() => server.close());

describe('kill -9 in the middle of a cycle', () => {
  it('leaves a readable store; the next cycle completes it with no duplicates', async () => {
    const child = spawn(process.execPath, [BIN, 'fetch'], { cwd });
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        seen += (chunk.toString().match(/source=s\d+ status=updated/g) ?? []).length;
        if (seen >= 8 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`fetch finished before it could be killed (${seen} sources done)`)));
    });
    await new Promise((resolve) => child.once('exit', resolve));

    const file = path.join(cwd, 'cache', 'byline.sqlite');
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const partial = await runCli(['sources', '--json'], cwd);
    expect(partial.code).toBe(0);
    const partialRows = JSON.parse(partial.stdout) as Array<{ id: string; items: number; status: string }>;
    const done = partialRows.filter((row) => row.status === 'ok');
    expect(done.length).toBeGreaterThanOrEqual(8);
    expect(done.length).toBeLessThan(SOURCES);
    for (const row of partialRows) expect([0, ITEMS]).toContain(row.items);

    // The killed fetch never released the store's cycle lock; the next one, on this machine, sees that
    // its process is gone and takes it over rather than wait two minutes for it to lapse.
    const again = await runCli(['fetch'], cwd);
    expect(again.stderr).toMatch(new RegExp(`^byline: took over the cycle lock of pid ${child.pid} on `));
    expect(again.code).toBe(0);
    const rows = JSON.parse((await runCli(['sources', '--json'], cwd)).stdout) as Array<{ items: number; status: string }>;
    expect(rows.every((row) => row.status === 'ok' && row.items === ITEMS)).toBe(true);

    expect((await runCli(['build', '--out', 'public'], cwd)).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const json = JSON.parse(readFileSync(path.join(cwd, 'public', 'feed.json'), 'utf8')) as { items: Array<{ id: string; url: string }> };
    expect(json.items).toHaveLength(100); // output.maxItems of 200 stored
    expect(new Set(json.items.map((item) => item.id)).size).toBe(json.items.length);
    expect(new Set(json.items.map((item) => item.url)).size).toBe(json.items.length);
  });
});

describe('SIGTERM in the middle of a cycle', () => {
  it('cancels in-flight fetches, keeps finished work, and exits within a few seconds', async () => {
    // Half the sources never answer: the cycle is still running when the signal arrives.
    for (let n = 0; n < SOURCES; n += 2) server.route(`/s${n}.xml`, () => {});
    writeConfig(cwd, server, sources, '', { concurrency: SOURCES, perHostConcurrency: 32, timeoutMs: 60_000 });
    const { child, output } = await startCli(['run', '--port', '0'], cwd, /event=listening/);
    await expect.poll(() => (output().match(/status=updated/g) ?? []).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(SOURCES / 2);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const started = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);

    const rows = JSON.parse((await runCli(['sources', '--json'], cwd)).stdout) as Array<{ id: string; items: number; status: string; lastError: unknown }>;
    const answered = rows.filter((row) => Number(row.id.slice(1)) % 2 === 1);
    const hanging = rows.filter((row) => Number(row.id.slice(1)) % 2 === 0);
    expect(answered.every((row) => row.status === 'ok' && row.items === ITEMS)).toBe(true);
    // Cancelled by shutdown is not the source's fault: no error recorded.
    expect(hanging.every((row) => row.status === 'new' && row.lastError === null)).toBe(true);
  });
});
