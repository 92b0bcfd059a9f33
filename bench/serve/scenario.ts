/**
 * Scenario 4, serving: `byline run` (the built CLI, its own process) serving
 * /feed.xml of 1,000 items to autocannon, 50 connections: a full 200 with
 * gzip, and a 304. The same load against a bare node:http server holding the
 * same gzip bytes says whether byline's code or the bytes set the limit
 * (autocannon's own HTTP parser, in JavaScript, is often what caps a large
 * 200 on one machine: both servers then meet the same ceiling). A step in
 * its own process (rebuild-stall.ts) measures the longest event-loop stall
 * while byline's site rebuilds every output after a change of revision.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon, { type AutocannonResult } from 'autocannon';
import { z } from 'zod';
import { FixtureReadySchema } from '../cycle/messages.js';
import { BYLINE_BIN } from '../lib/byline.js';
import { exited, firstMessage, forkBench, ROOT, runStep } from '../lib/child.js';
import type { ServeFigures } from '../lib/results.js';
import { round } from '../lib/stats.js';
import { RebuildStallSchema } from './messages.js';

export interface ServeOptions {
  /** Seconds per load run. */
  seconds: number;
  connections: number;
  /** Two turns each for byline and the bare server instead of one. */
  repeat: boolean;
}

const SOURCES = 20;
const ITEMS = 50;
/** Item HTML size that makes /feed.xml about 2 MB for 1,000 items once byline adds its credit. */
const HTML_BYTES = 700;

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

let stderrTail = '';

function byline(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [BYLINE_BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // Its log is not part of the report; the last of it is kept for an error message.
  child.stderr!.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  return child;
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`byline run: not listening after 30 s\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /event=listening url=(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`byline run exited (${code})\n${output}`)));
  });
}

async function load(url: string, headers: Record<string, string>, options: ServeOptions): Promise<AutocannonResult> {
  return autocannon({ url, headers, connections: options.connections, duration: options.seconds, timeout: 10 });
}

interface Figures {
  rps: number;
  p99: number;
  mbPerSec: number;
  statuses: string;
}

function figures(result: AutocannonResult): Figures {
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    mbPerSec: result.throughput.average / 1e6,
    statuses: Object.entries(result.statusCodeStats)
      .map(([code, stats]) => `${code}x${stats.count}`)
      .join(' '),
  };
}

function mean(runs: Figures[]): Figures {
  const avg = (pick: (f: Figures) => number, digits: number): number => round(runs.reduce((sum, f) => sum + pick(f), 0) / runs.length, digits);
  return { rps: avg((f) => f.rps, 0), p99: avg((f) => f.p99, 1), mbPerSec: avg((f) => f.mbPerSec, 1), statuses: runs.map((f) => f.statuses).join(' ') };
}

/** Runs the scenario; every process it started is stopped whatever happens. */
export async function serveScenario(options: ServeOptions): Promise<ServeFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'byline-bench-serve-'));
  const started: ChildProcess[] = [];
  const problems: string[] = [];
  try {
    const origin = forkBench('fixture-server.ts', ['--feeds', String(SOURCES), '--items', String(ITEMS), '--html-bytes', String(HTML_BYTES), '--delay-ms', '0']);
    started.push(origin);
    const ready = await firstMessage(origin, FixtureReadySchema, 'fixture server');
    const feeds = path.join(dir, 'feeds');
    mkdirSync(feeds);
    writeFileSync(
      path.join(feeds, 'byline.yaml'),
      'title: Bench\nlink: http://127.0.0.1:8080/\nfetch:\n  allowPrivateAddresses: true\noutput:\n  maxItems: 1000\nretention:\n  maxAgeDays: 36500\n',
    );
    const sources = Array.from({ length: SOURCES }, (_, i) => `  - id: s${i}\n    name: Bench Source ${i}\n    url: http://127.0.0.1:${ready.port}/feeds/${i}.xml`);
    writeFileSync(path.join(feeds, 'sources.yaml'), `sources:\n${sources.join('\n')}\n`);
    const globals = ['--config', feeds, '--store', `sqlite:${path.join(dir, 'store.sqlite')}`];
    const fetched = spawnSync(process.execPath, [BYLINE_BIN, ...globals, 'fetch'], { cwd: ROOT, encoding: 'utf8' });
    if (fetched.status !== 0) throw new Error(`byline fetch failed (${fetched.status}):\n${fetched.stdout}${fetched.stderr}`);
    origin.kill();
    // Before `byline run` starts: the rebuild step opens the same store in its own process.
    const stall = await runStep('serve/rebuild-stall.ts', ['--dir', dir], RebuildStallSchema);

    const server = byline([...globals, 'run', '--port', '0', '--host', '127.0.0.1', '--no-initial-cycle']);
    started.push(server);
    const base = await listening(server);
    const url = new URL('feed.xml', base).href;
    const plain = await get(url);
    const gzip = await get(url, { 'accept-encoding': 'gzip' });
    const etag = String(gzip.headers.etag ?? '');
    const items = (plain.body.toString('utf8').match(/<item>/g) ?? []).length;
    if (plain.status !== 200 || gzip.status !== 200 || gzip.headers['content-encoding'] !== 'gzip' || etag === '') {
      throw new Error(`byline run: GET /feed.xml answered ${plain.status} / gzip ${gzip.status} (${String(gzip.headers['content-encoding'])})\n${stderrTail}`);
    }

    const bodyFile = path.join(dir, 'feed.xml.gz');
    writeFileSync(bodyFile, gzip.body);
    const bare = forkBench('serve/bare-server.ts', ['--body', bodyFile, '--etag', etag]);
    started.push(bare);
    const bareUrl = `http://127.0.0.1:${(await firstMessage(bare, z.object({ port: z.number() }), 'bare server')).port}/feed.xml`;

    // byline and the bare server take turns (A B B A, or A B when quick), so drift on a shared machine
    // falls on both alike; each figure is the mean of its turns.
    const turns = options.repeat ? [url, bareUrl, bareUrl, url] : [url, bareUrl];
    const measure = async (headers: Record<string, string>): Promise<{ ours: Figures; bare: Figures }> => {
      const runs: { target: string; result: Figures }[] = [];
      for (const target of turns) runs.push({ target, result: figures(await load(target, headers, options)) });
      return { ours: mean(runs.filter((r) => r.target === url).map((r) => r.result)), bare: mean(runs.filter((r) => r.target === bareUrl).map((r) => r.result)) };
    };
    const full = await measure({ 'accept-encoding': 'gzip' });
    const cached = await measure({ 'accept-encoding': 'gzip', 'if-none-match': etag });
    const [ours200, bare200, ours304, bare304] = [full.ours, full.bare, cached.ours, cached.bare];
    server.kill('SIGTERM');
    await exited(server, 'byline run').catch(() => undefined);
    console.error(`bench: serve statuses: byline ${ours200.statuses} / ${ours304.statuses}; bare ${bare200.statuses} / ${bare304.statuses}`);
    if (/(^| )(?!200x)\d+x/.test(ours200.statuses)) problems.push(`200 run statuses: ${ours200.statuses}`);
    if (/(^| )(?!304x)\d+x/.test(ours304.statuses)) problems.push(`304 run statuses: ${ours304.statuses}`);

    return {
      rps200: ours200.rps,
      rps304: ours304.rps,
      p99ms200: ours200.p99,
      p99ms304: ours304.p99,
      mbPerSec200: ours200.mbPerSec,
      bareRps200: bare200.rps,
      bareRps304: bare304.rps,
      bareP99ms200: bare200.p99,
      bareMbPerSec200: bare200.mbPerSec,
      feedBytes: plain.body.length,
      gzipBytes: gzip.body.length,
      items,
      connections: options.connections,
      seconds: options.seconds,
      rebuildStallMs: stall.threadMaxMs,
      inlineRebuildStallMs: stall.inlineMaxMs,
      rebuildPaths: stall.paths,
      problems,
    };
  } finally {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
