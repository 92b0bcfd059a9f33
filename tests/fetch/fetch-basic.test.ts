/**
 * End-to-end tests of the fetcher against a real node:http server on
 * 127.0.0.1: the request it sends, conditional GET and 304, caching headers,
 * HTTP error statuses, and file: URLs.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.js';
import { ACCEPT_HEADER, createFetcher, FetchResultSchema, type FetcherOptions } from '../../src/fetch/index.js';
import { startFixtureServer, uniquePath, type FixtureServer, OPEN, failure } from './fixture-server.js';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});


describe('a plain 200', () => {
  it('returns the body, its hash and the response facts', async () => {
    const url = server.route(uniquePath('ok'), (_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/rss+xml; charset=utf-8',
        ETag: '"abc"',
        'Last-Modified': 'Sat, 01 Mar 2025 10:00:00 GMT',
        'Cache-Control': 'public, max-age=900',
        Expires: 'Sat, 01 Mar 2025 11:00:00 GMT',
      });
      res.end(FEED);
    });
    const result = await createFetcher(OPEN).fetch(url);
    expect(() => FetchResultSchema.parse(result)).not.toThrow();
    expect(result).toMatchObject({
      url,
      finalUrl: url,
      status: 200,
      notModified: false,
      permanentRedirect: null,
      etag: '"abc"',
      lastModified: 'Sat, 01 Mar 2025 10:00:00 GMT',
      contentType: 'application/rss+xml; charset=utf-8',
      maxAgeSeconds: 900,
      expiresAt: '2025-03-01T11:00:00.000Z',
      retryAfterSeconds: null,
      bytesReceived: Buffer.byteLength(FEED),
    });
    expect(Buffer.from(result.body ?? []).toString('utf8')).toBe(FEED);
    expect(result.bodySha256).toBe(createHash('sha256').update(FEED).digest('hex'));
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('sends a User-Agent naming byline, the feed Accept header and the encodings it decodes', async () => {
    const path = uniquePath('headers');
    const url = server.route(path, (_req, res) => res.end(FEED));
    await createFetcher(OPEN).fetch(url);
    const [seen] = server.seen(path);
    expect(seen?.headers['user-agent']).toMatch(/^byline\/\S+ \(\+https:\/\/github\.com\/byline; feed aggregator\)$/);
    expect(seen?.headers.accept).toBe(ACCEPT_HEADER);
    expect(seen?.headers['accept-encoding']).toBe('gzip, br, deflate');
    expect(seen?.headers['if-none-match']).toBeUndefined();
    expect(seen?.headers['if-modified-since']).toBeUndefined();
  });

  it('sends a configured User-Agent instead', async () => {
    const path = uniquePath('ua');
    const url = server.route(path, (_req, res) => res.end(FEED));
    await createFetcher({ ...OPEN, userAgent: 'byline-test/1.0' }).fetch(url);
    expect(server.seen(path)[0]?.headers['user-agent']).toBe('byline-test/1.0');
  });

  it('returns empty bytes for an empty body', async () => {
    const url = server.route(uniquePath('empty'), (_req, res) => res.writeHead(200, { 'Content-Length': '0' }).end());
    const result = await createFetcher(OPEN).fetch(url);
    expect(result.body).toBeInstanceOf(Uint8Array);
    expect(result.body?.byteLength).toBe(0);
    expect(result.bytesReceived).toBe(0);
    expect(result.bodySha256).toBe(createHash('sha256').digest('hex'));
  });

  it('reports Retry-After on a successful response too', async () => {
    const url = server.route(uniquePath('ra'), (_req, res) => res.writeHead(200, { 'Retry-After': '60' }).end(FEED));
    expect((await createFetcher(OPEN).fetch(url)).retryAfterSeconds).toBe(60);
  });
});

describe('conditional GET', () => {
  it('sends the validators and honours a 304', async () => {
    const path = uniquePath('cond');
    const url = server.route(path, (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { 'Cache-Control': 'max-age=60' }).end();
      else res.writeHead(200, { ETag: '"v1"' }).end(FEED);
    });
    const fetcher = createFetcher(OPEN);
    const first = await fetcher.fetch(url);
    expect(first.status).toBe(200);
    const second = await fetcher.fetch(url, { etag: first.etag, lastModified: 'Sat, 01 Mar 2025 10:00:00 GMT' });
    expect(second).toMatchObject({
      status: 304,
      notModified: true,
      body: null,
      bodySha256: null,
      bytesReceived: 0,
      etag: '"v1"', // the 304 did not repeat it: the one sent is still current
      lastModified: 'Sat, 01 Mar 2025 10:00:00 GMT',
      maxAgeSeconds: 60,
    });
    const seen = server.seen(path)[1];
    expect(seen?.headers['if-none-match']).toBe('"v1"');
    expect(seen?.headers['if-modified-since']).toBe('Sat, 01 Mar 2025 10:00:00 GMT');
  });

  it('answers a 200 whose body hashes as the one the caller has without the body, and a changed one with it', async () => {
    let version = FEED;
    const url = server.route(uniquePath('samebody'), (_req, res) => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(version));
    const fetcher = createFetcher(OPEN);
    const first = await fetcher.fetch(url);
    const same = await fetcher.fetch(url, { bodySha256: first.bodySha256 });
    expect(() => FetchResultSchema.parse(same)).not.toThrow();
    expect(same).toMatchObject({ status: 200, notModified: false, body: null, bodySha256: first.bodySha256, bytesReceived: Buffer.byteLength(FEED) });

    version = FEED.replace('<title>t</title>', '<title>t2</title>');
    const changed = await fetcher.fetch(url, { bodySha256: first.bodySha256 });
    expect(Buffer.from(changed.body ?? []).toString('utf8')).toBe(version);
    expect(changed.bodySha256).toBe(createHash('sha256').update(version).digest('hex'));
  });

  it('hashes a compressed body as it came off the wire too, and skips decoding bytes it has seen', async () => {
    let wire = gzipSync(FEED, { level: 9 });
    const url = server.route(uniquePath('samegzip'), (_req, res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(wire));
    const fetcher = createFetcher(OPEN);
    const first = await fetcher.fetch(url);
    expect(Buffer.from(first.body ?? []).toString('utf8')).toBe(FEED);
    expect(first.wireSha256).toBe(createHash('sha256').update(wire).digest('hex'));
    const known = { bodySha256: first.bodySha256, wireSha256: first.wireSha256 };
    expect(await fetcher.fetch(url, known)).toMatchObject({ body: null, bodySha256: first.bodySha256, wireSha256: first.wireSha256 });
    // The same feed compressed otherwise: decoded, found to be the same body, and known by its new wire hash.
    wire = gzipSync(FEED, { level: 1 });
    const recompressed = await fetcher.fetch(url, known);
    expect(recompressed).toMatchObject({ body: null, bodySha256: first.bodySha256 });
    expect(recompressed.wireSha256).toBe(createHash('sha256').update(wire).digest('hex'));
  });

  it('drops a stored validator that is not a valid header value instead of failing', async () => {
    const path = uniquePath('badetag');
    const url = server.route(path, (_req, res) => res.end(FEED));
    const result = await createFetcher(OPEN).fetch(url, { etag: '"a"\r\nX-Evil: 1', lastModified: null });
    expect(result.status).toBe(200);
    expect(server.seen(path)[0]?.headers['if-none-match']).toBeUndefined();
    expect(server.seen(path)[0]?.headers['x-evil']).toBeUndefined();
  });
});

describe('HTTP error statuses', () => {
  const future = new Date(Date.now() + 90_000).toUTCString();
  it.each([
    [500, {}, 'http_status', null, /^HTTP 500 from 127\.0\.0\.1:\d+$/],
    [404, {}, 'http_status', null, /^HTTP 404 from 127\.0\.0\.1:\d+$/],
    [410, {}, 'gone', null, /^HTTP 410 Gone from 127\.0\.0\.1:\d+$/],
    [429, { 'Retry-After': '120' }, 'rate_limited', 120, /^HTTP 429 from 127\.0\.0\.1:\d+ \(retry after 120 s\)$/],
    [503, { 'Retry-After': '30' }, 'rate_limited', 30, /^HTTP 503 from/],
    [503, {}, 'http_status', null, /^HTTP 503 from/],
  ] as const)('%i %o -> %s', async (status, headers, code, retryAfter, message) => {
    const url = server.route(uniquePath(`s${status}`), (_req, res) => res.writeHead(status, headers).end('nope'));
    const error = await failure(createFetcher(OPEN).fetch(url));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.retryAfterSeconds).toBe(retryAfter);
    expect(error.message).toMatch(message);
    expect(error.url).toBe(url);
  });

  it('reads a Retry-After HTTP date relative to now', async () => {
    const url = server.route(uniquePath('s429date'), (_req, res) => res.writeHead(429, { 'Retry-After': future }).end());
    const error = await failure(createFetcher(OPEN).fetch(url));
    expect(error.code).toBe('rate_limited');
    // 90 s ahead when the test started; generous bounds for a slow run.
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(60);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(91);
  });
});

describe('URL schemes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'byline-fetch-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a file: URL from disk, with its mtime as Last-Modified', async () => {
    const file = join(dir, 'feed.xml');
    writeFileSync(file, FEED);
    utimesSync(file, new Date('2025-03-01T10:00:00Z'), new Date('2025-03-01T10:00:00Z'));
    const url = pathToFileURL(file).href;
    const result = await createFetcher().fetch(url);
    expect(result).toMatchObject({ status: 200, finalUrl: url, lastModified: 'Sat, 01 Mar 2025 10:00:00 GMT' });
    expect(Buffer.from(result.body ?? []).toString()).toBe(FEED);

    const again = await createFetcher().fetch(url, { lastModified: result.lastModified });
    expect(again).toMatchObject({ status: 304, notModified: true, body: null });

    // Touched but the same bytes: read, and handed back as its hash alone.
    utimesSync(file, new Date('2025-03-02T10:00:00Z'), new Date('2025-03-02T10:00:00Z'));
    const same = await createFetcher().fetch(url, { lastModified: result.lastModified, bodySha256: result.bodySha256 });
    expect(same).toMatchObject({ status: 200, notModified: false, body: null, bodySha256: result.bodySha256, bytesReceived: Buffer.byteLength(FEED) });
  });

  it('applies the size cap to files', async () => {
    const file = join(dir, 'big.xml');
    writeFileSync(file, Buffer.alloc(4096, 0x20));
    const error = await failure(createFetcher({ maxBytes: 1024 }).fetch(pathToFileURL(file).href));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/^body larger than 1 KiB/);
  });

  it('reports a missing file', async () => {
    const file = join(dir, 'missing.xml');
    const error = await failure(createFetcher().fetch(pathToFileURL(file).href));
    expect(error.code).toBe('connect');
    expect(error.message).toContain(`cannot read ${file}`);
    expect(error.message).toContain('ENOENT');
  });

  it('refuses file: URLs when allowFile is false', async () => {
    const file = join(dir, 'feed.xml');
    writeFileSync(file, FEED);
    const error = await failure(createFetcher({ allowFile: false }).fetch(pathToFileURL(file).href));
    expect(error.code).toBe('unsupported_scheme');
  });

  it.each(['ftp://example.com/feed.xml', 'gopher://example.com/', 'data:text/plain,hi', 'javascript:alert(1)'])(
    'refuses %s',
    async (url) => {
      const error = await failure(createFetcher().fetch(url));
      expect(error.code).toBe('unsupported_scheme');
      expect(error.message).toMatch(/^unsupported URL scheme/);
    },
  );

  it('refuses something that is not a URL', async () => {
    const error = await failure(createFetcher().fetch('not a url'));
    expect(error.code).toBe('unsupported_scheme');
    expect(error.message).toBe('not a valid URL: not a url');
  });
});
