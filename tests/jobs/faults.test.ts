/**
 * Fault injection at the level of a whole cycle: every kind of bad source
 * next to a good one, through the real fetcher, parser, store and job.
 * Asserts the code recorded, that each failure costs bounded time, and that
 * nothing a failure touches is lost.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { sourceHealth } from '../../src/jobs/health.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { fixture, writeConfig, type FixtureSource } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-faults-');
const TIMEOUT_MS = 2500;
const HEADERS_TIMEOUT_MS = 1000;
let server: FixtureServer;
let dir: string;
let ctx: Context | null = null;

const GOOD: FixtureSource = { id: 'good', name: 'Good Feed', path: '/good.xml', site: 'https://lab.example/' };

beforeEach(async () => {
  server = await startFixtureServer();
  server.route('/good.xml', { body: fixture('lab-rss2.xml'), type: 'application/rss+xml' });
  dir = tempDir();
});
afterEach(async () => {
  await ctx?.close();
  ctx = null;
  await server.close();
});

/**
 * Runs a forced cycle. The first call of a test writes the config: short timeouts only where a test
 * is about timeouts, since a loaded machine can be slower than 500 ms to answer a healthy request.
 */
async function cycleOver(sources: FixtureSource[], short = false) {
  if (!ctx) {
    const timeouts: Record<string, number> = short ? { timeoutMs: TIMEOUT_MS, headersTimeoutMs: HEADERS_TIMEOUT_MS } : { timeoutMs: 15_000 };
    writeConfig(dir, server, sources, '', { ...timeouts, maxBytes: 1024 * 1024 });
    ctx = await openContext({ config: path.join(dir, 'feeds'), store: `sqlite:${path.join(dir, 'byline.sqlite')}` }, { create: true });
  }
  const report = await runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 16, force: true });
  return Object.fromEntries(report.outcomes.map((outcome) => [outcome.sourceId, outcome]));
}

function source(id: string): FixtureSource {
  return { id, name: `Fault ${id}`, path: `/${id}` };
}

const FAULTS: Array<{ id: string; code: string; serve: Parameters<FixtureServer['route']>[1] }> = [
  { id: 'hang', code: 'timeout', serve: () => {} },
  {
    id: 'drip',
    code: 'timeout',
    serve: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      const timer = setInterval(() => res.write('<'), 200);
      res.on('close', () => clearInterval(timer));
    },
  },
  { id: 'e500', code: 'http_status', serve: { body: 'oops', status: 500, validators: false } },
  { id: 'e404', code: 'http_status', serve: { body: 'nope', status: 404, validators: false } },
  { id: 'html', code: 'not_a_feed', serve: { body: '<!doctype html><html><body><p>Hello</p></body></html>', type: 'text/html' } },
  { id: 'truncated', code: 'parse_error', serve: { body: fixture('lab-rss2.xml').slice(0, 400) } },
  { id: 'empty', code: 'not_a_feed', serve: { body: '' } },
  { id: 'random', code: 'not_a_feed', serve: { body: randomBytes(4096) } },
  {
    id: 'huge',
    code: 'too_large',
    serve: (_req, res) => {
      // 200 MB announced by nothing but the stream itself; written lazily so the test allocates little.
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = Infinity));
      pump();
    },
  },
  {
    id: 'bomb',
    code: 'decompression_limit',
    serve: { body: gzipSync(Buffer.alloc(300 * 1024 * 1024)), headers: { 'Content-Encoding': 'gzip' }, validators: false },
  },
  {
    id: 'loop',
    code: 'redirect_loop',
    serve: (_req, res) => res.writeHead(302, { Location: '/loop' }).end(),
  },
];

describe('a cycle with every kind of broken source', () => {
  it('records each failure with its code, in bounded time, and stores the good source', async () => {
    for (const fault of FAULTS) server.route(`/${fault.id}`, fault.serve);
    const started = Date.now();
    const outcomes = await cycleOver([GOOD, ...FAULTS.map((fault) => source(fault.id))], true);
    const elapsed = Date.now() - started;

    expect(outcomes.good).toMatchObject({ status: 'updated', added: 2 });
    for (const fault of FAULTS) {
      const outcome = outcomes[fault.id]!;
      expect([fault.id, outcome.status, outcome.error?.code]).toEqual([fault.id, 'failed', fault.code]);
      // Generous bound: the total timeout plus scheduling slack, never the 200 MB or the drip's full length.
      expect(outcome.elapsedMs, fault.id).toBeLessThan(TIMEOUT_MS + 3000);
    }
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 10_000);

    const health = Object.fromEntries((await sourceHealth(ctx!.config, ctx!.store)).map((row) => [row.id, row]));
    expect(health.good).toMatchObject({ status: 'ok', items: 2, consecutiveErrors: 0 });
    expect(health.hang!.lastError?.message).toMatch(/^no response headers within 1 s from 127\.0\.0\.1:\d+$/);
    expect(health.e500!.lastError?.message).toMatch(/^HTTP 500 from 127\.0\.0\.1/);
    expect(health.e500).toMatchObject({ status: 'failing', lastHttpStatus: 500, consecutiveErrors: 1 });
    const alerts = await ctx!.store.listAlerts(ctx!.config.sources.map((s) => s.id), 100);
    expect(alerts.filter((a) => a.kind === 'failing').map((a) => a.sourceId).sort()).toEqual(FAULTS.map((f) => f.id).sort());
  });

  it('keeps the credentials of a private feed out of the error it records, its health and its alert', async () => {
    server.route('/private', (_req, res) => res.writeHead(302, { Location: '/private' }).end());
    const outcomes = await cycleOver([GOOD, { id: 'private', name: 'Private', path: '/private', auth: 'reader:s3cret-Pa55' }]);

    const expected = `redirect loop: ${new URL(server.origin).host} redirects back to ${server.url('/private')}`;
    expect(outcomes.private).toMatchObject({ status: 'failed', error: { code: 'redirect_loop', message: expected } });
    expect((await ctx!.store.getState('private'))?.lastError?.message).toBe(expected);
    const health = (await sourceHealth(ctx!.config, ctx!.store)).find((row) => row.id === 'private');
    expect(health?.lastError?.message).toBe(expected);
    const alerts = await ctx!.store.listAlerts(['private'], 10);
    expect(alerts.map((alert) => alert.kind)).toEqual(['failing']);
    expect(JSON.stringify({ health, alerts })).not.toContain('s3cret');
    // The credentials were sent: the loop was the server's answer to them.
    expect(server.seen('/private')[0]?.headers.authorization).toMatch(/^Basic /);
  });

  it('names the feed an HTML page links to, resolved against the address the page was found at', async () => {
    // A site's address configured for its feed's, behind a redirect, as operators often paste it.
    server.route('/blog', (_req, res) => res.writeHead(301, { Location: '/blog/' }).end());
    const page = '<!doctype html><html><head><title>Blog</title><link rel="alternate" type="application/rss+xml" href="feed.xml"></head><body>Hi</body></html>';
    server.route('/blog/', { body: page, type: 'text/html; charset=utf-8' });
    const outcomes = await cycleOver([GOOD, { id: 'blog', name: 'Blog', path: '/blog' }]);

    const expected = `rss: unable to parse feed: the document is an HTML page; it links to the feed ${server.url('/blog/feed.xml')} (RSS)`;
    expect(outcomes.blog).toMatchObject({ status: 'failed', error: { code: 'not_a_feed', message: expected } });
    const health = (await sourceHealth(ctx!.config, ctx!.store)).find((row) => row.id === 'blog');
    expect(health?.lastError?.message).toBe(expected);
    // The server did answer: the health view says so, and counts the page's bytes.
    expect(outcomes.blog?.httpStatus).toBe(200);
    expect(health).toMatchObject({ status: 'failing', lastHttpStatus: 200, bytesFetched: Buffer.byteLength(page) });
  });

  it('logs no HTTP status for an attempt that got none, while health keeps the last one the server sent', async () => {
    const flaky = source('flaky');
    server.route('/flaky', { body: 'down', status: 500, validators: false });
    expect((await cycleOver([GOOD, flaky], true)).flaky).toMatchObject({ status: 'failed', httpStatus: 500 });
    server.route('/flaky', () => {});
    const outcome = (await cycleOver([GOOD, flaky], true)).flaky!;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'timeout' }, httpStatus: null });
    const health = (await sourceHealth(ctx!.config, ctx!.store)).find((row) => row.id === 'flaky');
    expect(health).toMatchObject({ lastHttpStatus: 500, lastError: { code: 'timeout' } });
  });

  it('keeps what a source stored when it starts failing, and backs off exponentially', async () => {
    const flaky = source('flaky');
    server.route('/flaky', { body: fixture('lab-rss2.xml').replaceAll('lab.example', 'flaky.example') });
    await cycleOver([GOOD, flaky]);
    server.route('/flaky', { body: 'down', status: 503, validators: false });

    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = Date.now();
      const outcome = (await cycleOver([GOOD, flaky])).flaky!;
      expect(outcome.state.consecutiveErrors).toBe(attempt);
      waits.push((Date.parse(outcome.state.nextAttemptAt!) - before) / 60_000);
    }
    // floor 5 min x 2^(n-1), +-20 % jitter
    expect(waits[0]).toBeGreaterThanOrEqual(4);
    expect(waits[0]).toBeLessThanOrEqual(6.1);
    expect(waits[1]).toBeGreaterThanOrEqual(8);
    expect(waits[2]).toBeGreaterThanOrEqual(16);
    const health = (await sourceHealth(ctx!.config, ctx!.store)).find((row) => row.id === 'flaky')!;
    expect(health).toMatchObject({ status: 'backing_off', items: 2, lastHttpStatus: 503 });
    // The health view shows when the check happens: the schedule's first tick (every 15 minutes) once the backoff is over.
    const earliest = Date.parse((await ctx!.store.getState('flaky'))!.nextAttemptAt!);
    const shown = new Date(health.nextAttemptAt!);
    expect(shown.getTime()).toBeGreaterThanOrEqual(earliest);
    expect(shown.getTime() - earliest).toBeLessThan(15 * 60_000);
    expect([shown.getMinutes() % 15, shown.getSeconds(), shown.getMilliseconds()]).toEqual([0, 0, 0]);

    server.route('/flaky', { body: fixture('lab-rss2.xml').replaceAll('lab.example', 'flaky.example') });
    // Same bytes as before the outage: the server answers 304 to our validators, and that is a recovery too.
    expect((await cycleOver([GOOD, flaky])).flaky).toMatchObject({ status: 'not_modified', error: null });
    const alerts = await ctx!.store.listAlerts(['flaky'], 10);
    expect(alerts.map((a) => a.kind)).toEqual(['recovered', 'failing']);
    expect(alerts[0]!.message).toBe('Fault flaky recovered after 3 failed attempts.');
  });

  it('honours Retry-After on 429 as the earliest next attempt', async () => {
    server.route('/limited', { body: 'slow down', status: 429, headers: { 'Retry-After': '7200' }, validators: false });
    const before = Date.now();
    const outcome = (await cycleOver([GOOD, source('limited')])).limited!;
    expect(outcome.error?.code).toBe('rate_limited');
    expect(outcome.state.status).toBe('backing_off');
    expect(Date.parse(outcome.state.nextAttemptAt!) - before).toBeGreaterThanOrEqual(7200 * 1000);
  });

  it('counts the wait to the next attempt from the start of the cycle, so a slow answer is due a period later', async () => {
    server.route('/slow-hint', (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Cache-Control': 'max-age=3600' }).end(fixture('lab-rss2.xml').replaceAll('lab.example', 'slow.example')), 300);
    });
    await cycleOver([source('slow-hint')]);
    const sources = enabledSources(ctx!.config);
    // An hour, the hint being longer than the feed's ttl of 30 minutes; counted from the cycle's start, not the answer.
    const first = await runCycle({ sources, deps: ctx!.deps, concurrency: 4, force: true });
    const next = first.outcomes[0]!.state.nextAttemptAt!;
    expect(Date.parse(next)).toBe(Date.parse(first.startedAt) + 3_600_000);
    const tick = new Date(Date.parse(first.startedAt) + 3_600_000);
    const second = await runCycle({ sources, deps: { ...ctx!.deps, now: () => tick }, concurrency: 4 });
    expect(second.skipped).toEqual([]);
    expect(second.outcomes.map((o) => o.sourceId)).toEqual(['slow-hint']);
  });

  it('keeps a feed\'s skipHours and skipDays and checks it in the first hour they leave open, after a 304 too', async () => {
    // Thursday 2026-11-26, 12:00 UTC: the ttl of 30 minutes would make 12:30; hours 12-14 are skipped.
    const body = fixture('lab-rss2.xml')
      .replaceAll('lab.example', 'quiet.example')
      .replace('<ttl>30</ttl>', '<ttl>30</ttl><skipHours><hour>12</hour><hour>13</hour><hour>14</hour></skipHours><skipDays><day>Friday</day></skipDays>');
    server.route('/quiet', { body, type: 'application/rss+xml' });
    await cycleOver([source('quiet')]);
    const sources = enabledSources(ctx!.config);
    const at = (iso: string) => ({ ...ctx!.deps, now: () => new Date(iso) });
    const first = await runCycle({ sources, deps: at('2026-11-26T12:00:00.000Z'), concurrency: 4, force: true });
    expect(first.outcomes[0]!.state).toMatchObject({ skipHours: [12, 13, 14], skipDays: [5], nextAttemptAt: '2026-11-26T15:00:00.000Z' });
    // Not due before then; the 304 at 15:00 keeps the stored hints: 15:30 is open.
    expect((await runCycle({ sources, deps: at('2026-11-26T14:59:00.000Z'), concurrency: 4 })).skipped).toEqual(['quiet']);
    const second = await runCycle({ sources, deps: at('2026-11-26T15:00:00.000Z'), concurrency: 4 });
    expect(second.outcomes[0]).toMatchObject({ status: 'not_modified', state: { nextAttemptAt: '2026-11-26T15:30:00.000Z' } });
    // Due by then, but a tick in a skipped hour (Saturday 12:10) does not fetch it: the schedule rounds a due
    // time up to its next tick, which can fall in one.
    expect((await runCycle({ sources, deps: at('2026-11-28T12:10:00.000Z'), concurrency: 4 })).skipped).toEqual(['quiet']);
    // At 23:50 the next half hour falls on Friday, skipped whole; Saturday 00:00 is past the ceiling of a day, which wins.
    const late = await runCycle({ sources, deps: at('2026-11-26T23:50:00.000Z'), concurrency: 4 });
    expect(late.outcomes[0]!.state.nextAttemptAt).toBe('2026-11-27T23:50:00.000Z');
  });

  it('stops polling a source that is gone, and says so', async () => {
    server.route('/gone', { body: 'gone', status: 410, validators: false });
    const first = (await cycleOver([GOOD, source('gone')])).gone!;
    expect(first).toMatchObject({ status: 'gone', error: { code: 'gone' } });
    expect(first.state.nextAttemptAt).toBeNull();
    const requests = server.requests.filter((r) => r.path === '/gone').length;
    const report = await runCycle({ sources: enabledSources(ctx!.config), deps: ctx!.deps, concurrency: 4 });
    expect(report.skipped).toContain('gone');
    expect(server.requests.filter((r) => r.path === '/gone')).toHaveLength(requests);
    const health = (await sourceHealth(ctx!.config, ctx!.store)).find((row) => row.id === 'gone')!;
    expect(health.status).toBe('gone');
    expect((await ctx!.store.listAlerts(['gone'], 5)).map((a) => a.kind)).toEqual(['gone']);
  });

  it('follows a permanent redirect, remembers it and shows it in health; a temporary one is not kept', async () => {
    server.route('/old', (_req, res) => res.writeHead(301, { Location: '/new.xml' }).end());
    server.route('/new.xml', { body: fixture('lab-rss2.xml') });
    // A distinct feed: with the same links the two sources would race for the same articles.
    server.route('/elsewhere.xml', { body: fixture('lab-rss2.xml').replaceAll('lab.example', 'elsewhere.example') });
    server.route('/temp', (_req, res) => res.writeHead(302, { Location: '/elsewhere.xml' }).end());
    const first = await cycleOver([source('old'), source('temp')]);
    expect(first.old).toMatchObject({ status: 'updated', added: 2 });
    expect(first.old!.state.redirectedTo).toBe(server.url('/new.xml'));
    expect(first.temp!.state.redirectedTo).toBeNull();
    await cycleOver([source('old'), source('temp')]);
    expect(server.requests.filter((r) => r.path === '/old')).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === '/temp')).toHaveLength(2);
    const health = (await sourceHealth(ctx!.config, ctx!.store)).find((row) => row.id === 'old')!;
    expect(health.redirectedTo).toBe(server.url('/new.xml'));
    expect((await ctx!.store.listAlerts(['old'], 5)).map((a) => a.kind)).toEqual(['moved']);
  });

  it('skips the parse of an identical body served without validators', async () => {
    server.route('/plain', { body: fixture('lab-rss2.xml'), validators: false });
    const first = (await cycleOver([source('plain')])).plain!;
    const second = (await cycleOver([source('plain')])).plain!;
    expect(first.status).toBe('updated');
    expect(second.status).toBe('unchanged');
    expect(second.state.bodyHash).toBe(first.state.bodyHash);
    expect(second.state.revision).toBe(first.state.revision);
    // The second body was never assembled (its hash matched while it streamed), but its bytes still count.
    expect(second.state.bytesFetched).toBe(2 * first.state.bytesFetched);
  });

  it('remembers the compressed bytes of a body served gzip without validators', async () => {
    const wire = gzipSync(fixture('lab-rss2.xml'));
    server.route('/gzip', { body: wire, headers: { 'Content-Encoding': 'gzip' }, validators: false });
    const first = (await cycleOver([source('gzip')])).gzip!;
    const second = (await cycleOver([source('gzip')])).gzip!;
    expect(first.status).toBe('updated');
    expect(first.state.wireHash).toBe(createHash('sha256').update(wire).digest('hex'));
    expect(second.status).toBe('unchanged');
    expect(second.state).toMatchObject({ bodyHash: first.state.bodyHash, wireHash: first.state.wireHash, revision: first.state.revision });
  });
});
