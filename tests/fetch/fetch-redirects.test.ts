/**
 * Redirect handling against a real node:http server: permanent and temporary
 * chains, relative Locations, the hop limit, loops, non-http targets; plus the
 * pure RedirectChain bookkeeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.js';
import { FetchFailure } from '../../src/fetch/failure.js';
import { createFetcher, type FetcherOptions } from '../../src/fetch/index.js';
import { RedirectChain } from '../../src/fetch/redirect.js';
import { startFixtureServer, uniquePath, type FixtureServer, OPEN, failure } from './fixture-server.js';

const FEED = '<rss version="2.0"><channel><title>moved</title></channel></rss>';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});


/** Routes a chain of redirects: each step is [status, location]; the last path serves the feed. */
function chain(name: string, statuses: number[]): { start: string; end: string; paths: string[] } {
  const paths = statuses.map(() => uniquePath(name));
  const endPath = uniquePath(`${name}-feed`);
  const end = server.route(endPath, (_req, res) => res.writeHead(200, { ETag: '"end"' }).end(FEED));
  statuses.forEach((status, index) => {
    const next = paths[index + 1] ?? endPath;
    server.route(paths[index] ?? '', (_req, res) => res.writeHead(status, { Location: next }).end());
  });
  return { start: `${server.origin}${paths[0] ?? endPath}`, end, paths: [...paths, endPath] };
}

describe('following redirects', () => {
  it('reports a 301 then 308 chain as a permanent redirect to the final URL', async () => {
    const { start, end } = chain('perm', [301, 308]);
    const result = await createFetcher(OPEN).fetch(start);
    expect(result).toMatchObject({ url: start, finalUrl: end, status: 200, permanentRedirect: end, etag: '"end"' });
    expect(Buffer.from(result.body ?? []).toString()).toBe(FEED);
  });

  it.each([[[302]], [[307]], [[303]], [[302, 301]]])('reports no permanent redirect for %j', async (statuses) => {
    const { start, end } = chain('temp', statuses);
    const result = await createFetcher(OPEN).fetch(start);
    expect(result.finalUrl).toBe(end);
    expect(result.permanentRedirect).toBeNull();
  });

  it('keeps only the leading permanent hops when a temporary one follows', async () => {
    const { start, end, paths } = chain('mixed', [301, 302]);
    const result = await createFetcher(OPEN).fetch(start);
    expect(result.finalUrl).toBe(end);
    expect(result.permanentRedirect).toBe(`${server.origin}${paths[1]}`);
  });

  it('resolves a relative Location against the current URL', async () => {
    const endPath = uniquePath('rel-end');
    const end = server.route(endPath, (_req, res) => res.end(FEED));
    const start = server.route(uniquePath('rel-start'), (_req, res) => {
      res.writeHead(302, { Location: `.${endPath}?from=rel` }).end();
    });
    const result = await createFetcher(OPEN).fetch(start);
    expect(result.finalUrl).toBe(`${end}?from=rel`);
  });

  it('sends the conditional headers and User-Agent on every hop', async () => {
    const { start, paths } = chain('hdr', [301]);
    await createFetcher(OPEN).fetch(start, { etag: '"e"' });
    for (const path of paths) {
      expect(server.seen(path)[0]?.headers['if-none-match']).toBe('"e"');
      expect(server.seen(path)[0]?.headers['user-agent']).toMatch(/^byline\//);
    }
  });

  it('follows exactly maxRedirects hops', async () => {
    const { start, end } = chain('five', [302, 302, 302, 302, 302]);
    expect((await createFetcher(OPEN).fetch(start)).finalUrl).toBe(end);
  });

  it('gives up after maxRedirects hops', async () => {
    const { start, paths } = chain('six', [302, 302, 302, 302, 302, 302]);
    const error = await failure(createFetcher(OPEN).fetch(start));
    expect(error.code).toBe('redirect_loop');
    expect(error.message).toMatch(/^more than 5 redirects, last from 127\.0\.0\.1:\d+$/);
    expect(server.seen(paths[paths.length - 1] ?? '')).toHaveLength(0);
  });

  it('honours a smaller maxRedirects', async () => {
    const { start } = chain('one', [301, 301]);
    expect((await failure(createFetcher({ ...OPEN, maxRedirects: 1 }).fetch(start))).code).toBe('redirect_loop');
  });

  it('detects a loop', async () => {
    const a = uniquePath('loop-a');
    const b = uniquePath('loop-b');
    server.route(a, (_req, res) => res.writeHead(302, { Location: b }).end());
    server.route(b, (_req, res) => res.writeHead(301, { Location: a }).end());
    const error = await failure(createFetcher(OPEN).fetch(`${server.origin}${a}`));
    expect(error.code).toBe('redirect_loop');
    expect(error.message).toBe(`redirect loop: 127.0.0.1:${server.port} redirects back to ${server.origin}${a}`);
    expect(server.seen(a)).toHaveLength(1);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/feed'])('never follows a redirect to %s', async (target) => {
    const url = server.route(uniquePath('to-other'), (_req, res) => res.writeHead(302, { Location: target }).end());
    const error = await failure(createFetcher(OPEN).fetch(url));
    expect(error.code).toBe('unsupported_scheme');
    expect(error.message).toContain(target);
  });

  it('treats a redirect status without Location as an HTTP error', async () => {
    const url = server.route(uniquePath('no-location'), (_req, res) => res.writeHead(302).end());
    const error = await failure(createFetcher(OPEN).fetch(url));
    expect(error.code).toBe('http_status');
    expect(error.status).toBe(302);
  });
});

describe('RedirectChain', () => {
  const start = new URL('https://a.example/feed');

  it('tracks the permanent run and the hop count', () => {
    const redirects = new RedirectChain(start, 5);
    const b = redirects.follow(start, 308, '/b');
    expect(b.href).toBe('https://a.example/b');
    expect(redirects.permanentTarget).toBe('https://a.example/b');
    const c = redirects.follow(b, 307, 'https://c.example/feed#frag');
    expect(c.href).toBe('https://c.example/feed');
    redirects.follow(c, 301, 'https://d.example/');
    expect(redirects.permanentTarget).toBe('https://a.example/b');
    expect(redirects.length).toBe(3);
  });

  it.each([
    ['https://a.example/feed', 'redirect_loop'],
    ['mailto:x@y.z', 'redirect_scheme'],
    ['http://[::1', 'invalid_url'],
  ])('refuses %s', (location, kind) => {
    const redirects = new RedirectChain(start, 5);
    try {
      redirects.follow(start, 301, location);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FetchFailure);
      expect((error as FetchFailure).detail.kind).toBe(kind);
    }
  });

  it('refuses a hop past the limit', () => {
    const redirects = new RedirectChain(start, 0);
    expect(() => redirects.follow(start, 302, '/x')).toThrow(FetchFailure);
  });
});
