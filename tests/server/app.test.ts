import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, createApp, createOutputCache, listen, type FeedOutput } from '../../src/server/index.js';

function makeApp(initial = 'v1') {
  let revision = initial;
  let renders = 0;
  let clock = 1_700_000_000_000;
  const outputs = createOutputCache<FeedOutput>({
    revision: async () => revision,
    render: async () => {
      renders++;
      const body = `<rss>${revision}</rss>`;
      return { rss: body, atom: `<feed>${revision}</feed>`, json: `{"v":"${revision}"}`, html: `<p>${revision}</p>`, sources: '<p>s</p>' };
    },
    checkIntervalMs: 1000,
    now: () => clock,
  });
  const app = createApp({
    outputs,
    health: async () => [],
    describe: () => ({ store: 'sqlite', sources: 0, cycleRunning: false }),
  });
  return {
    app,
    outputs,
    setRevision: (value: string) => (revision = value),
    advance: (ms: number) => (clock += ms),
    renders: () => renders,
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
    ['/atom.xml', 'application/atom+xml; charset=utf-8', '<feed>v1</feed>'],
    ['/feed.json', 'application/feed+json; charset=utf-8', '{"v":"v1"}'],
    ['/', 'text/html; charset=utf-8', '<p>v1</p>'],
  ])('serves %s as %s with caching headers', async (path, type, body) => {
    const { app } = makeApp();
    const response = await app.fetch(get(path));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{20,}"$/);
    expect(await response.text()).toBe(body);
  });

  it('allows cross-origin reads of feeds only', async () => {
    const { app } = makeApp();
    expect((await app.fetch(get('/feed.json'))).headers.get('access-control-allow-origin')).toBe('*');
    expect((await app.fetch(get('/'))).headers.get('access-control-allow-origin')).toBeNull();
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

  it('re-renders only when the revision changed, checked at most once per interval', async () => {
    const { app, setRevision, advance, renders } = makeApp();
    const first = await app.fetch(get('/feed.xml'));
    await app.fetch(get('/atom.xml'));
    expect(renders()).toBe(1);
    setRevision('v2');
    expect(await (await app.fetch(get('/feed.xml'))).text()).toBe('<rss>v1</rss>');
    advance(1000);
    const second = await app.fetch(get('/feed.xml'));
    expect(await second.text()).toBe('<rss>v2</rss>');
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(renders()).toBe(2);
    advance(1000);
    await app.fetch(get('/feed.xml'));
    expect(renders()).toBe(2);
  });

  it('answers 404, 405 and /healthz', async () => {
    const { app } = makeApp();
    expect((await app.fetch(get('/nope'))).status).toBe(404);
    const post = await app.fetch(get('/feed.xml', {}, 'POST'));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await (await app.fetch(get('/healthz'))).json()).toEqual({ ok: true, store: 'sqlite', sources: 0, cycleRunning: false });
  });

  it('turns a failing render into a 500 and reports it', async () => {
    const errors: unknown[] = [];
    const app = createApp({
      outputs: createOutputCache<FeedOutput>({ revision: async () => 'x', render: async () => Promise.reject(new Error('store down')) }),
      health: async () => [],
      describe: () => ({ store: 'sqlite', sources: 0, cycleRunning: false }),
      onError: (error) => errors.push(error),
    });
    expect((await app.fetch(get('/feed.xml'))).status).toBe(500);
    expect(String(errors[0])).toMatch(/store down/);
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
