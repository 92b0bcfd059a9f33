/**
 * The parse pool: worker threads give exactly what the in-thread pipeline
 * gives, parse failures keep their code and message, several documents are
 * read at once, the queue is bounded, and close() rejects what is pending.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { createParsePool, ParsePoolError, type ParsePool } from '../../src/jobs/parse-pool.js';
import type { Source } from '../../src/model/index.js';
import { normalizeFeed } from '../../src/normalize/index.js';
import { parseFeed } from '../../src/parse/index.js';
import { gbkFeed } from '../helpers/fixture-feeds.js';
import { canLowerTo, startedSince, threadNices } from '../helpers/threads.js';
import { BACKGROUND_PRIORITY } from '../../src/jobs/thread-priority.js';

const FEEDS = path.resolve(import.meta.dirname, '../fixtures/feeds');
const BUILT_POOL = path.resolve(import.meta.dirname, '../../dist/jobs/parse-pool.js');
const PARSE_FIXTURES = path.resolve(import.meta.dirname, '../parse/fixtures');
const NOW = new Date('2026-11-26T12:00:00.000Z');
const FEED_URL = 'https://feeds.example/feed.xml';

const source = (): Source => ({
  id: 'example',
  name: 'Example News',
  url: FEED_URL,
  site: 'https://example.com/',
  credit: 'Please credit Example News.',
  enabled: true,
});

/** Every project fixture that is a feed, plus a GBK-encoded one. */
function fixtureDocuments(): [string, Uint8Array, string | null][] {
  const files = [
    ...readdirSync(FEEDS).map((name) => path.join(FEEDS, name)),
    ...readdirSync(PARSE_FIXTURES)
      .filter((name) => !name.endsWith('.html'))
      .map((name) => path.join(PARSE_FIXTURES, name)),
  ];
  const documents = files.map((file): [string, Uint8Array, string | null] => [
    path.basename(file),
    readFileSync(file),
    file.endsWith('.json') ? 'application/feed+json' : null,
  ]);
  return [...documents, ['gbk.xml', gbkFeed(), 'application/xml']];
}

async function inThread(bytes: Uint8Array, contentType: string | null): Promise<{ ttlMinutes: number | null; skipHours: number[]; skipDays: number[]; candidates: unknown[] }> {
  const { feed } = await parseFeed(bytes, { contentType });
  const candidates = normalizeFeed(feed, { source: source(), feedUrl: FEED_URL, now: NOW });
  return { ttlMinutes: feed.ttlMinutes, skipHours: feed.skipHours, skipDays: feed.skipDays, candidates };
}

/** A valid RSS document with `count` items: big enough that two of them are in flight together. */
function bigFeed(count: number): Uint8Array {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>Item ${i}</title><link>https://example.com/${i}</link><description><![CDATA[<p>${'word '.repeat(200)}<a href="/x/${i}">x</a></p>]]></description></item>`,
  );
  return Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://example.com/</link>${items.join('')}</channel></rss>`);
}

const pools: ParsePool[] = [];
function makePool(options: Parameters<typeof createParsePool>[0]): ParsePool {
  const pool = createParsePool(options);
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

describe('parse pool', () => {
  it('gives the same candidates and ttl as the in-thread pipeline for every fixture', async () => {
    const pool = makePool({ size: 2 });
    const documents = fixtureDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(10);
    for (const [name, bytes, contentType] of documents) {
      const expected = await inThread(bytes, contentType);
      // The pool may detach what it is given, so it gets its own copy.
      const actual = await pool.run({ bytes: new Uint8Array(bytes), contentType, source: source(), feedUrl: FEED_URL, now: NOW });
      expect(actual, name).toEqual(expected);
      expect(actual.candidates.length, name).toBeGreaterThan(0);
    }
  });

  it.each([
    ['an HTML page', '<!doctype html><html><body>hello</body></html>', 'text/html', 'not_a_feed'],
    ['an empty body', '', null, 'not_a_feed'],
    ['plain text', 'hello there', null, 'not_a_feed'],
    ['truncated JSON', '{"version": "https://jsonfeed.org/version/1.1", "items": [', 'application/feed+json', 'parse_error'],
    ['broken XML', '<rss version="2.0"><channel><item><title>t</title><description>cut of', null, 'parse_error'],
  ])('rethrows the ParseError for %s with the same code and message', async (_name, body, contentType, code) => {
    const pool = makePool({ size: 1 });
    const expected = await inThread(Buffer.from(body), contentType).then(
      () => null,
      (error: unknown) => error,
    );
    expect(expected).toBeInstanceOf(ParseError);
    const actual = await pool.run({ bytes: Buffer.from(body), contentType, source: source(), feedUrl: FEED_URL, now: NOW }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(actual).toBeInstanceOf(ParseError);
    expect((actual as ParseError).code).toBe(code);
    expect((actual as ParseError).code).toBe((expected as ParseError).code);
    expect((actual as ParseError).message).toBe((expected as ParseError).message);
  });

  it('reads several documents at once on separate workers', async () => {
    const pool = makePool({ size: 2 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => pool.run({ bytes: bigFeed(60), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW })),
    );
    expect(results.map((result) => result.candidates.length)).toEqual([60, 60, 60, 60, 60, 60]);
    expect(pool.stats()).toMatchObject({ size: 2, workers: 2, peakBusy: 2, busy: 0, queued: 0, completed: 6 });
  });

  it('copies a view into a larger buffer instead of detaching it, and transfers a whole buffer', async () => {
    const pool = makePool({ size: 1 });
    const document = Buffer.from(bigFeed(3));
    const backing = new Uint8Array(document.length + 16);
    backing.set(document, 8);
    const view = backing.subarray(8, 8 + document.length);
    await pool.run({ bytes: view, contentType: null, source: source(), feedUrl: FEED_URL, now: NOW });
    expect(backing.byteLength).toBe(document.length + 16);
    expect(Buffer.from(view).equals(document)).toBe(true);

    const whole = new Uint8Array(document);
    await pool.run({ bytes: whole, contentType: null, source: source(), feedUrl: FEED_URL, now: NOW });
    expect(whole.byteLength).toBe(0);
  });

  it('refuses work beyond its queue bound', async () => {
    const pool = makePool({ size: 1, maxQueue: 2 });
    const job = () => pool.run({ bytes: bigFeed(50), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW });
    const accepted = [job(), job(), job()];
    await expect(job()).rejects.toMatchObject({ code: 'parse_pool_full' });
    const results = await Promise.all(accepted);
    expect(results).toHaveLength(3);
  });

  it('rejects queued and in-flight work on close(), and everything after it', async () => {
    const pool = makePool({ size: 1 });
    const pending = Array.from({ length: 4 }, () =>
      pool.run({ bytes: bigFeed(50), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW }).then(
        () => 'resolved',
        (error: unknown) => error,
      ),
    );
    await pool.close();
    const outcomes = await Promise.all(pending);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(ParsePoolError);
      expect(outcome).toMatchObject({ code: 'parse_pool_closed' });
    }
    await expect(pool.run({ bytes: bigFeed(1), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW })).rejects.toMatchObject({
      code: 'parse_pool_closed',
    });
    expect(pool.stats().workers).toBe(0);
    await pool.close();
  });

  it('stops only its idle workers on stopIdle(), and starts one again for the next document', async () => {
    const pool = makePool({ size: 2 });
    const run = () => pool.run({ bytes: bigFeed(200), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW });
    await Promise.all([run(), run()]);
    expect(pool.stats().workers).toBe(2);
    const busy = run();
    const stopping = pool.stopIdle();
    // Read before any turn of the event loop, while `busy` cannot have finished: only the idle worker went.
    expect(pool.stats()).toMatchObject({ workers: 1, busy: 1 });
    await stopping;
    // The worker reading `busy` stays and finishes it.
    expect((await busy).candidates).toHaveLength(200);
    await pool.stopIdle();
    expect(pool.stats().workers).toBe(0);
    expect((await run()).candidates).toHaveLength(200);
    expect(pool.stats()).toMatchObject({ workers: 1, completed: 4 });
  });

  it('starts its workers on start() without work, once, and reads on them afterwards', async () => {
    const pool = makePool({ size: 2 });
    pool.start();
    pool.start();
    expect(pool.stats()).toMatchObject({ workers: 2, busy: 0, completed: 0 });
    const run = () => pool.run({ bytes: bigFeed(50), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW });
    const outputs = await Promise.all([run(), run()]);
    expect(outputs.map((output) => output.candidates.length)).toEqual([50, 50]);
    expect(pool.stats()).toMatchObject({ workers: 2, completed: 2 });
    await pool.close();
    pool.start();
    expect(pool.stats().workers).toBe(0);
  });

  it('fails a document that outgrows the worker heap cap alone, and reads the next one on a new worker', async () => {
    const pool = makePool({ size: 1, oldGenerationMb: 40 });
    const huge = await pool.run({ bytes: bigFeed(20_000), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(huge).toBeInstanceOf(ParsePoolError);
    expect(huge).toMatchObject({ code: 'parse_worker_failed' });
    const next = await pool.run({ bytes: bigFeed(3), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW });
    expect(next.candidates).toHaveLength(3);
  });

  it.skipIf(!canLowerTo(BACKGROUND_PRIORITY))('runs its workers below the event loop\'s priority (Linux)', async () => {
    const before = threadNices();
    const pool = makePool({ size: 2 });
    await Promise.all([1, 2].map(() => pool.run({ bytes: bigFeed(100), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW })));
    expect(pool.stats().workers).toBe(2);
    const after = threadNices();
    const mainNice = after.get(process.pid) ?? 0;
    expect(mainNice).toBe(before.get(process.pid));
    // Two workers, and any thread a worker starts itself (which inherits its priority).
    expect(startedSince(before, after).filter((nice) => nice === BACKGROUND_PRIORITY).length).toBeGreaterThanOrEqual(2);
  });

  it('fails a document it gave up on with parse_error', async () => {
    const pool = makePool({ size: 1, timeoutMs: 1 });
    const slow = await pool.run({ bytes: bigFeed(2000), contentType: null, source: source(), feedUrl: FEED_URL, now: NOW }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(slow).toBeInstanceOf(ParseError);
    expect(slow).toMatchObject({ code: 'parse_error' });
  });
});

describe.skipIf(!existsSync(BUILT_POOL))(`parse pool from the build${existsSync(BUILT_POOL) ? '' : ' (skipped: run npm run build first)'}`, () => {
  /** A script that reads one feed and one non-feed through a pool of the build, and prints what came back. */
  const readingScript = `
    const { createParsePool } = await import(${JSON.stringify(pathToFileURL(BUILT_POOL).href)});
    const pool = createParsePool({ size: 2 });
    const bytes = new Uint8Array(Buffer.from(process.env.FEED_XML));
    const source = { id: 'example', name: 'Example', url: 'https://feeds.example/feed.xml', enabled: true };
    const output = await pool.run({ bytes, contentType: null, source, feedUrl: source.url, now: new Date() });
    const error = await pool.run({ bytes: new Uint8Array(Buffer.from('<html><body>x</body></html>')), contentType: null, source, feedUrl: source.url, now: new Date() }).catch((e) => e);
    console.log(JSON.stringify({ items: output.candidates.length, code: error.code, name: error.name, workers: pool.stats().workers }));
    await pool.close();
  `;
  const read = { items: 4, code: 'not_a_feed', name: 'ParseError', workers: 1 };

  function runNode(args: string[]): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, args, {
      encoding: 'utf8',
      env: { ...process.env, FEED_XML: Buffer.from(bigFeed(4)).toString('utf8') },
      timeout: 20_000,
    });
  }

  it('starts its compiled worker under plain node and reads a feed', () => {
    const run = runNode(['--input-type=module', '-e', readingScript]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(read);
  });

  it('starts its workers when node runs with V8 and process flags, such as a larger heap', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'byline-flags-'));
    try {
      const script = path.join(dir, 'read.mjs');
      writeFileSync(script, readingScript);
      // Given to a worker as an explicit list, each of these flags would stop it from starting.
      const run = runNode(['--max-old-space-size=512', '--stack-size=900', '--title=byline-test', script]);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual(read);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts its workers with an entry-only flag beside a V8 flag', () => {
    const run = runNode(['--input-type=module', '--max-old-space-size=512', '-e', readingScript]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(read);
  });

  it('lets the process exit with workers started and idle (no close)', () => {
    const script = `
      const { createParsePool } = await import(${JSON.stringify(pathToFileURL(BUILT_POOL).href)});
      const pool = createParsePool({ size: 2 });
      pool.start();
      console.log(JSON.stringify(pool.stats()));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ workers: 2, busy: 0 });
  });
});
