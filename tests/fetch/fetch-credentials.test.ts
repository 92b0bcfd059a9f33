/**
 * A feed URL may carry Basic credentials (`http://user:pass@host/feed`), but
 * fetch error messages end up in the health view, logs and alerts: none may
 * print them. Each failure that names a URL is caused for real, against a
 * node:http server on 127.0.0.1, with credentials in the URL fetched. And a
 * redirect keeps them on the same server only.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.js';
import { withoutCredentials } from '../../src/model/index.js';
import { failure, OPEN, startFixtureServer, uniquePath, type FixtureServer, type Handler } from './fixture-server.js';

const USER = 'reader';
const PASSWORD = 's3cret-Pa55';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});

/** The server's URL for `path`, with the credentials in it. */
function withCredentials(path: string): string {
  return server.url(path).replace('http://', `http://${USER}:${PASSWORD}@`);
}

/** Routes `path` (made unique) to `handler`; returns the path. */
function serve(name: string, handler: (path: string) => Handler): string {
  const path = uniquePath(name);
  server.route(path, handler(path));
  return path;
}

/** The message holds neither the password nor the user info. */
function expectNoCredentials(message: string): void {
  expect(message).not.toContain(PASSWORD);
  expect(message).not.toContain(`${USER}:`);
  expect(message).not.toContain('@');
}

describe('fetch error messages for a URL with credentials', () => {
  it('name a same-server redirect loop by its URL without them', async () => {
    const path = serve('loop', (own) => (_req, res) => res.writeHead(302, { Location: own }).end());
    const error = await failure(createFetcher(OPEN).fetch(withCredentials(path)));
    expect(error.code).toBe('redirect_loop');
    expect(error.message).toBe(`redirect loop: ${server.url('').replace(/^http:\/\/|\/$/g, '')} redirects back to ${server.url(path)}`);
    expectNoCredentials(error.message);
    // The credentials were sent all the same: the loop was the server's, not a refusal.
    expect(server.seen(path)[0]?.headers.authorization).toMatch(/^Basic /);
  });

  it('name a loop through two paths without them', async () => {
    const second = uniquePath('loop-b');
    const first = serve('loop-a', () => (_req, res) => res.writeHead(301, { Location: second }).end());
    server.route(second, (_req, res) => res.writeHead(307, { Location: first }).end());
    const error = await failure(createFetcher(OPEN).fetch(withCredentials(first)));
    expect(error.code).toBe('redirect_loop');
    expect(error.message).toContain(server.url(first));
    expectNoCredentials(error.message);
  });

  it.each<{ name: string; code: string; handler: (path: string) => Handler }>([
    {
      name: 'too many redirects',
      code: 'redirect_loop',
      handler: (own) => {
        let hops = 0;
        return (_req, res) => res.writeHead(302, { Location: `${own}?hop=${++hops}` }).end();
      },
    },
    {
      name: 'a redirect to a non-http URL with user info',
      code: 'unsupported_scheme',
      handler: () => (_req, res) => res.writeHead(302, { Location: `ftp://${USER}:${PASSWORD}@127.0.0.1/feed` }).end(),
    },
    {
      name: 'a Location that is not a URL',
      code: 'unsupported_scheme',
      handler: () => (_req, res) => res.writeHead(302, { Location: `http://${USER}:${PASSWORD}@[feed` }).end(),
    },
    { name: 'a bad status', code: 'http_status', handler: () => (_req, res) => res.writeHead(500).end('down') },
  ])('leave them out of $name', async ({ code, handler }) => {
    const path = serve('fail', handler);
    const error = await failure(createFetcher({ ...OPEN, maxRedirects: 3 }).fetch(withCredentials(path)));
    expect(error.code).toBe(code);
    expectNoCredentials(error.message);
  });

  it.each<{ name: string; handler: (path: string) => Handler }>([
    { name: 'a redirect loop', handler: (own) => (_req, res) => res.writeHead(302, { Location: own }).end() },
    { name: 'a Location that is not a URL', handler: () => (_req, res) => res.writeHead(302, { Location: `http://${USER}:${PASSWORD}@[feed` }).end() },
    { name: 'a bad status', handler: () => (_req, res) => res.writeHead(503).end('down') },
  ])('leave them out of the error object of $name: its url and its cause, as a log of it would print them', async ({ handler }) => {
    const path = serve('whole', handler);
    const error = await failure(createFetcher(OPEN).fetch(withCredentials(path)));
    expect(error.url).toBe(server.url(path));
    expect(inspect(error, { depth: 10 })).not.toContain(PASSWORD);
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
  });

  it('leave them out of a feed URL that does not parse', async () => {
    // A port out of range: the URL parser refuses it.
    const error = await failure(createFetcher(OPEN).fetch(`http://${USER}:${PASSWORD}@127.0.0.1:99999/feed`));
    expect(error.code).toBe('unsupported_scheme');
    expect(error.message).toMatch(/^not a valid URL: /);
    expectNoCredentials(error.message);
    expect(error.url).toBe('http://127.0.0.1:99999/feed');
    expect(inspect(error, { depth: 10 })).not.toContain(PASSWORD);
  });
});

describe('redirects of a URL with credentials', () => {
  const FEED = '<rss version="2.0"><channel><title>private</title></channel></rss>';
  const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  /** Answers 401 without the credentials, as a private feed does. */
  const guarded = (): Handler => (req, res) => {
    if (req.headers.authorization !== basic) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="feed"' }).end();
    res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(FEED);
  };

  it('keep them on an absolute Location to the same server, and in the permanent target', async () => {
    const target = serve('moved-target', guarded);
    // As nginx writes a redirect: the whole URL, without user info.
    const start = serve('moved', () => (_req, res) => res.writeHead(301, { Location: server.url(target) }).end());
    const fetcher = createFetcher(OPEN);
    const result = await fetcher.fetch(withCredentials(start));
    expect(result.status).toBe(200);
    expect(server.seen(target)[0]?.headers.authorization).toBe(basic);
    // The URL used from now on still authenticates, and shows without them.
    expect(result.permanentRedirect).toBe(withCredentials(target));
    expect(withoutCredentials(result.permanentRedirect ?? '')).toBe(server.url(target));
    expect((await fetcher.fetch(result.permanentRedirect ?? '')).status).toBe(200);
    fetcher.close();
  });

  it('drop them on a Location to another port of the same host', async () => {
    const elsewhere = await startFixtureServer();
    try {
      elsewhere.route('/landing.xml', guarded());
      const start = serve('away', () => (_req, res) => res.writeHead(302, { Location: elsewhere.url('/landing.xml') }).end());
      const error = await failure(createFetcher(OPEN).fetch(withCredentials(start)));
      expect(error.code).toBe('http_status');
      expect(elsewhere.seen('/landing.xml')[0]?.headers.authorization).toBeUndefined();
    } finally {
      await elsewhere.close();
    }
  });
});
