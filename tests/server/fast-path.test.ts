/**
 * The node:http fast path for built outputs: it answers without the
 * Request-based app, with the same status, headers and bytes the app sends
 * through the Request/Response adapter (304s included), and leaves to the app
 * everything it does not handle (other methods, paths that need normalizing,
 * outputs not built yet, /healthz).
 */
import type { IncomingHttpHeaders, Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, createOutputCache, listen, type App } from '../../src/server/index.js';
import { sendRaw } from '../helpers/http.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** The app over a tiny cache, a server with the fast path, and one through the Request path only. */
async function start() {
  const outputs = createOutputCache<string>({
    revision: async () => 'v1',
    snapshot: async () => 'v1',
    render: (snapshot, path) => (path === 'archive/9.xml' ? null : `<${path}>${snapshot}</${path}>`.repeat(50)),
  });
  const app = createApp({
    outputs,
    health: async () => [],
    describe: () => ({ store: 'sqlite', sources: 0, cycleRunning: false }),
    websub: { hubUrl: 'https://hub.example/', selfUrl: (path) => `https://byline.example/${path}` },
  });
  let viaFetch = 0;
  const counted: App = {
    fetch: (request) => {
      viaFetch++;
      return app.fetch(request);
    },
    serve: (req, res) => app.serve!(req, res),
  };
  const fast = await listen(counted, 0, '127.0.0.1');
  const slow = await listen({ fetch: (request) => app.fetch(request) }, 0, '127.0.0.1');
  servers.push(fast.server, slow.server);
  return { fast: fast.url, slow: slow.url, viaFetch: () => viaFetch };
}

async function send(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const answer = await sendRaw(base, path, headers, method);
  return { ...answer, body: answer.body.toString('latin1') };
}

/** Headers minus the ones node:http adds per response. */
function stable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest;
}

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the node:http fast path', () => {
  it.each<{ name: string; path: string; headers: Record<string, string>; method?: string }>([
    { name: 'a plain GET', path: '/feed.xml', headers: {} },
    { name: 'gzip', path: '/feed.xml', headers: { 'Accept-Encoding': 'gzip' } },
    { name: 'brotli', path: '/atom.xml', headers: { 'Accept-Encoding': 'gzip, deflate, br' } },
    { name: 'a q-valued Accept-Encoding', path: '/feed.json', headers: { 'Accept-Encoding': 'br;q=0.5, gzip' } },
    { name: 'a browser navigation', path: '/feed.xml', headers: { Accept: BROWSER } },
    { name: 'an HTML page', path: '/', headers: { 'Accept-Encoding': 'gzip' } },
    { name: 'an archive page', path: '/archive/2.xml', headers: {} },
    { name: 'a query string', path: '/feed.xml?utm=x', headers: {} },
    { name: 'HEAD', path: '/feed.xml', headers: { 'Accept-Encoding': 'gzip' }, method: 'HEAD' },
    { name: 'a stale If-None-Match', path: '/feed.xml', headers: { 'If-None-Match': '"old"' } },
  ])('answers $name as the Request path does, without it', async ({ path, headers, method }) => {
    const { fast, slow, viaFetch } = await start();
    await send(fast, path);
    const before = viaFetch();
    const quick = await send(fast, path, headers, method);
    const long = await send(slow, path, headers, method);
    expect(viaFetch()).toBe(before);
    expect(quick.status).toBe(200);
    expect(stable(quick.headers)).toEqual(stable(long.headers));
    expect(quick.body).toBe(long.body);
    expect(quick.headers['transfer-encoding']).toBeUndefined();
    if (method === 'HEAD') expect(quick.body).toBe('');
    else expect(Number(quick.headers['content-length'])).toBe(Buffer.byteLength(quick.body, 'latin1'));
  });

  it.each([
    { name: 'its own ETag', validator: (etag: string) => ({ 'If-None-Match': etag }) },
    { name: 'a weak list holding it', validator: (etag: string) => ({ 'If-None-Match': `W/"x", W/${etag.replace(/^W\//, '')}` }) },
    { name: '*', validator: () => ({ 'If-None-Match': '*' }) },
    { name: 'If-Modified-Since', validator: (_etag: string, lastModified: string) => ({ 'If-Modified-Since': lastModified }) },
  ])('answers 304 to $name with the same headers as the Request path', async ({ validator }) => {
    const { fast, slow, viaFetch } = await start();
    const first = await send(fast, '/feed.xml', { 'Accept-Encoding': 'gzip' });
    const headers = { 'Accept-Encoding': 'gzip', ...validator(String(first.headers.etag), String(first.headers['last-modified'])) };
    const before = viaFetch();
    const quick = await send(fast, '/feed.xml', headers);
    const long = await send(slow, '/feed.xml', headers);
    expect(viaFetch()).toBe(before);
    expect([quick.status, long.status]).toEqual([304, 304]);
    expect(stable(quick.headers)).toEqual(stable(long.headers));
    expect(stable(quick.headers)).toEqual({
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=300',
      'content-type': 'application/rss+xml; charset=utf-8',
      etag: first.headers.etag,
      'last-modified': first.headers['last-modified'],
      link: '<https://hub.example/>; rel="hub", <https://byline.example/feed.xml>; rel="self"',
      vary: 'Accept-Encoding, Accept',
    });
    expect(quick.body).toBe('');
  });

  it.each([
    { name: 'another method', path: '/feed.xml', method: 'POST', status: 405 },
    { name: 'a path to normalize', path: '/archive/../feed.xml', status: 200 },
    { name: 'an escaped path', path: '/%66eed.xml', status: 404 },
    { name: 'an output that is not published', path: '/archive/9.xml', status: 404 },
    { name: 'an unknown path', path: '/nope', status: 404 },
    { name: '/healthz', path: '/healthz', status: 200 },
  ])('leaves $name to the Request path', async ({ path, method, status }) => {
    const { fast, viaFetch } = await start();
    await send(fast, '/feed.xml');
    const before = viaFetch();
    const answer = await send(fast, path, {}, method);
    expect(answer.status).toBe(status);
    expect(viaFetch()).toBe(before + 1);
  });

  it('answers an output through the Request path until it is built, then directly', async () => {
    const { fast, viaFetch } = await start();
    const first = await send(fast, '/atom.xml');
    expect(viaFetch()).toBe(1);
    const again = await send(fast, '/atom.xml');
    expect(viaFetch()).toBe(1);
    expect(again.body).toBe(first.body);
  });
});
