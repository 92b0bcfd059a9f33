/**
 * The HTTP app over a stand-in output cache: routes and media types, caching
 * validators and 304s, precompression, HEAD, CORS, the WebSub Link header,
 * browser negotiation for the XSL view, and re-rendering only on a new
 * revision, lazily per path.
 */
import net from 'node:net';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, createApp, createOutputCache, listen, type AppOptions } from '../../src/server/index.js';
import { ListenError } from '../../src/errors.js';

/** A snapshot is just the revision; each path renders as `<path>@<revision>`. */
function makeApp(initial = 'v1', extra: Partial<AppOptions> = {}) {
  let revision = initial;
  let snapshots = 0;
  const renders: string[] = [];
  let clock = 1_700_000_000_000;
  const outputs = createOutputCache<string>({
    revision: async () => revision,
    snapshot: async () => {
      snapshots++;
      return revision;
    },
    render: (snapshot, path) => {
      renders.push(path);
      if (path === 'archive/9.xml') return null;
      if (path === 'feed.xml') return `<rss>${snapshot}</rss>`;
      if (path === 'feed.xsl') return 'constant';
      return `${path}@${snapshot}`;
    },
    checkIntervalMs: 1000,
    now: () => clock,
  });
  const app = createApp({
    outputs,
    health: async () => [],
    describe: () => ({ store: 'sqlite', sources: 0, cycleRunning: false }),
    ...extra,
  });
  return {
    app,
    outputs,
    setRevision: (value: string) => (revision = value),
    advance: (ms: number) => (clock += ms),
    snapshots: () => snapshots,
    renders,
  };
}

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Request(`http://byline.test${path}`, { method, headers });

describe('chooseEncoding', () => {
  it.each([
    [null, null],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['*', 'br'],
    ['identity', null],
  ])('%s -> %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('createApp', () => {
  it.each([
    ['/feed.xml', 'application/rss+xml; charset=utf-8', '<rss>v1</rss>'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8', 'atom.xml@v1'],
    ['/feed.json', 'application/feed+json; charset=utf-8', 'feed.json@v1'],
    ['/newsletter.xml', 'application/rss+xml; charset=utf-8', 'newsletter.xml@v1'],
    ['/alerts.xml', 'application/atom+xml; charset=utf-8', 'alerts.xml@v1'],
    ['/opml.xml', 'text/x-opml; charset=utf-8', 'opml.xml@v1'],
    ['/feed.xsl', 'text/xsl; charset=utf-8', 'constant'],
    ['/archive/3.xml', 'application/rss+xml; charset=utf-8', 'archive/3.xml@v1'],
    ['/archive/3.atom', 'application/atom+xml; charset=utf-8', 'archive/3.atom@v1'],
    ['/archive/3.json', 'application/feed+json; charset=utf-8', 'archive/3.json@v1'],
    ['/', 'text/html; charset=utf-8', 'index.html@v1'],
    ['/index.html', 'text/html; charset=utf-8', 'index.html@v1'],
    ['/sources', 'text/html; charset=utf-8', 'sources.html@v1'],
    ['/sources.html', 'text/html; charset=utf-8', 'sources.html@v1'],
    ['/archive/', 'text/html; charset=utf-8', 'archive/index.html@v1'],
  ])('serves %s as %s with caching headers', async (path, type, body) => {
    const { app } = makeApp();
    const response = await app.fetch(get(path));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('vary')).toMatch(/^Accept-Encoding/);
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{20,}"$/);
    expect(response.headers.get('link')).toBeNull();
    expect(await response.text()).toBe(body);
  });

  it('allows cross-origin reads of feeds only', async () => {
    const { app } = makeApp();
    for (const path of ['/feed.json', '/feed.xml', '/atom.xml', '/newsletter.xml', '/archive/1.json', '/opml.xml']) {
      expect((await app.fetch(get(path))).headers.get('access-control-allow-origin'), path).toBe('*');
    }
    expect((await app.fetch(get('/'))).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('labels RSS as generic XML for a browser navigation, so the XSL view applies', async () => {
    const { app } = makeApp();
    const browser = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const path of ['/feed.xml', '/newsletter.xml', '/archive/2.xml']) {
      const response = await app.fetch(get(path, browser));
      expect(response.headers.get('content-type'), path).toBe('application/xml; charset=utf-8');
      expect(response.headers.get('vary')).toBe('Accept-Encoding, Accept');
    }
    const reader = await app.fetch(get('/feed.xml', { Accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.1' }));
    expect(reader.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    // Readers that list HTML after the feed types (SimplePie and the readers built on it), or refuse it, are readers.
    for (const accept of [
      'application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.7, unknown/unknown;q=0.1, application/unknown;q=0.1, */*;q=0.1',
      'application/rss+xml, text/html;q=0',
      'text/html;q=0, */*',
    ]) {
      expect((await app.fetch(get('/feed.xml', { Accept: accept }))).headers.get('content-type'), accept).toBe('application/rss+xml; charset=utf-8');
    }
    expect((await app.fetch(get('/feed.xml', { Accept: 'text/html' }))).headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect((await app.fetch(get('/atom.xml', browser))).headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
  });

  it('announces the WebSub hub and self URL in a Link header on feeds', async () => {
    const { app } = makeApp('v1', { websub: { hubUrl: 'https://hub.example/', selfUrl: (path) => `https://byline.example/${path}` } });
    for (const path of ['feed.xml', 'atom.xml', 'feed.json', 'newsletter.xml']) {
      const response = await app.fetch(get(`/${path}`));
      expect(response.headers.get('link'), path).toBe(`<https://hub.example/>; rel="hub", <https://byline.example/${path}>; rel="self"`);
    }
    expect((await app.fetch(get('/'))).headers.get('link')).toBeNull();
    expect((await app.fetch(get('/archive/1.xml'))).headers.get('link')).toBeNull();
  });

  it('answers 304 to a matching If-None-Match or If-Modified-Since', async () => {
    const { app } = makeApp();
    const first = await app.fetch(get('/feed.xml'));
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    const byTag = await app.fetch(get('/feed.xml', { 'If-None-Match': `W/"x", ${etag}` }));
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get('etag')).toBe(etag);
    expect(await byTag.text()).toBe('');
    expect((await app.fetch(get('/feed.xml', { 'If-Modified-Since': lastModified }))).status).toBe(304);
    expect((await app.fetch(get('/feed.xml', { 'If-None-Match': '"other"' }))).status).toBe(200);
  });

  it('serves precompressed gzip and brotli', async () => {
    const { app } = makeApp();
    const br = await app.fetch(get('/feed.xml', { 'Accept-Encoding': 'gzip, br' }));
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe('<rss>v1</rss>');
    const gz = await app.fetch(get('/feed.xml', { 'Accept-Encoding': 'gzip' }));
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe('<rss>v1</rss>');
  });

  it('answers HEAD with headers and no body', async () => {
    const { app } = makeApp();
    const response = await app.fetch(get('/feed.xml', {}, 'HEAD'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String('<rss>v1</rss>'.length));
    expect(await response.text()).toBe('');
  });

  it('re-reads the snapshot only when the revision changed, checked at most once per interval', async () => {
    const { app, outputs, setRevision, advance, snapshots, renders } = makeApp();
    const first = await app.fetch(get('/feed.xml'));
    await app.fetch(get('/feed.xml'));
    await app.fetch(get('/atom.xml'));
    expect(snapshots()).toBe(1);
    // Lazily, once per path and revision.
    expect(renders).toEqual(['feed.xml', 'atom.xml']);
    setRevision('v2');
    expect(await (await app.fetch(get('/feed.xml'))).text()).toBe('<rss>v1</rss>');
    advance(1000);
    // The check and the rebuild run in the background; the complete v1 body is served meanwhile.
    expect(await (await app.fetch(get('/feed.xml'))).text()).toBe('<rss>v1</rss>');
    await outputs.idle();
    const second = await app.fetch(get('/feed.xml'));
    expect(await second.text()).toBe('<rss>v2</rss>');
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(snapshots()).toBe(2);
    advance(1000);
    await app.fetch(get('/feed.xml'));
    await outputs.idle();
    expect(snapshots()).toBe(2);
    expect(renders).toEqual(['feed.xml', 'atom.xml', 'feed.xml']);
  });

  it('keeps Last-Modified when a new revision renders the same bytes, and moves it when they change', async () => {
    const { app, outputs, setRevision, advance } = makeApp();
    const xsl = await app.fetch(get('/feed.xsl'));
    const rss = await app.fetch(get('/feed.xml'));
    advance(5000);
    setRevision('v2');
    // These still get the v1 bodies and start the rebuilds.
    await app.fetch(get('/feed.xsl'));
    await app.fetch(get('/feed.xml'));
    await outputs.idle();
    const xslAgain = await app.fetch(get('/feed.xsl'));
    const rssAgain = await app.fetch(get('/feed.xml'));
    expect(xslAgain.headers.get('etag')).toBe(xsl.headers.get('etag'));
    expect(xslAgain.headers.get('last-modified')).toBe(xsl.headers.get('last-modified'));
    expect(rssAgain.headers.get('last-modified')).not.toBe(rss.headers.get('last-modified'));
    expect((await app.fetch(get('/feed.xsl', { 'If-Modified-Since': xsl.headers.get('last-modified')! }))).status).toBe(304);
  });

  it('answers 404, 405 and /healthz', async () => {
    const { app } = makeApp();
    expect((await app.fetch(get('/nope'))).status).toBe(404);
    expect((await app.fetch(get('/archive/9.xml'))).status).toBe(404);
    expect((await app.fetch(get('/archive/x.xml'))).status).toBe(404);
    expect((await app.fetch(get('/archive/01.xml'))).status).toBe(404);
    const post = await app.fetch(get('/feed.xml', {}, 'POST'));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await (await app.fetch(get('/healthz'))).json()).toEqual({ ok: true, store: 'sqlite', sources: 0, cycleRunning: false });
  });

  it('says in /healthz when the store cannot be read', async () => {
    const base = { outputs: makeApp().outputs, health: async () => [], describe: () => ({ store: 'redis', sources: 3, cycleRunning: false }) };
    const down = createApp({ ...base, probe: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) });
    const answer = await down.fetch(get('/healthz'));
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({ ok: false, error: 'connect ECONNREFUSED 127.0.0.1:6379', store: 'redis', sources: 3, cycleRunning: false });
    const up = createApp({ ...base, probe: async () => null });
    expect((await up.fetch(get('/healthz'))).status).toBe(200);
  });

  it('turns a failing render into a 500 and reports it', async () => {
    const errors: unknown[] = [];
    const app = createApp({
      outputs: createOutputCache<string>({ revision: async () => 'x', snapshot: async () => Promise.reject(new Error('store down')), render: () => 'never' }),
      health: async () => [],
      describe: () => ({ store: 'sqlite', sources: 0, cycleRunning: false }),
      onError: (error) => errors.push(error),
    });
    expect((await app.fetch(get('/feed.xml'))).status).toBe(500);
    expect(String(errors[0])).toMatch(/store down/);
  });

  it('says why it cannot listen, in terms of the --port and --host to change', async () => {
    const { app } = makeApp();
    const { server, url } = await listen(app, 0, '127.0.0.1');
    try {
      const port = Number(new URL(url).port);
      const taken = await listen(app, port, '127.0.0.1').catch((error: unknown) => error);
      expect(taken).toBeInstanceOf(ListenError);
      expect(taken).toMatchObject({ code: 'listen_failed', cause: { code: 'EADDRINUSE' } });
      expect((taken as Error).message).toBe(
        `cannot listen on 127.0.0.1:${port}: another process (another byline?) is listening on that port; choose another with --port`,
      );
    } finally {
      server.close();
    }
    // TEST-NET-1 (RFC 5737): an address no machine has as its own.
    const foreign = await listen(app, 0, '192.0.2.1').then(
      ({ server: bound }) => bound.close(),
      (error: unknown) => error,
    );
    expect(foreign).toMatchObject({ code: 'listen_failed', message: 'cannot listen on 192.0.2.1:0: no network interface of this machine has that address; check --host' });
  });

  it('refuses a request the Fetch API cannot carry, and goes on serving', async () => {
    const { app } = makeApp();
    const { server, url } = await listen(app, 0, '127.0.0.1');
    const port = Number(new URL(url).port);
    /** One raw request on its own connection; resolves with the status line. */
    const raw = (head: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(`${head}\r\nConnection: close\r\n\r\n`));
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
        socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
        socket.on('error', reject);
      });
    try {
      expect(await raw('TRACE / HTTP/1.1\r\nHost: x')).toBe('HTTP/1.1 405 Method Not Allowed');
      expect(await raw('GET /nope HTTP/1.1\r\nHost: a b')).toBe('HTTP/1.1 404 Not Found');
      expect(await raw('GET /healthz HTTP/1.1\r\nHost: [')).toBe('HTTP/1.1 200 OK');
      expect(await raw('GET * HTTP/1.1\r\nHost: x')).toBe('HTTP/1.1 400 Bad Request');
      // A target that reads as a host to a URL parser is still a path here.
      expect(await raw('GET //[ HTTP/1.1\r\nHost: x')).toBe('HTTP/1.1 404 Not Found');
      expect(await raw('GET //feed.xml HTTP/1.1\r\nHost: x')).toBe('HTTP/1.1 404 Not Found');
      expect((await fetch(new URL('healthz', url))).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('serves over node:http with the same behaviour', async () => {
    const { app } = makeApp();
    const { server, url } = await listen(app, 0, '127.0.0.1');
    try {
      const response = await fetch(new URL('feed.xml', url), { headers: { 'Accept-Encoding': 'gzip' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('<rss>v1</rss>');
      const again = await fetch(new URL('feed.xml', url), { headers: { 'If-None-Match': response.headers.get('etag')! } });
      expect(again.status).toBe(304);
    } finally {
      server.close();
    }
  });
});
