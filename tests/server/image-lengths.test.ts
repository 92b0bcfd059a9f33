/**
 * The HEAD step that learns lead-image byte lengths for RSS enclosures,
 * against a real fixture server: lengths from Content-Length (after
 * redirects), unknown when the answer says nothing usable, one request per URL
 * per process, bounded concurrency, the SSRF rule, and how renderers read the
 * result.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImageLengths, unknownImageUrls, withLearnedImage } from '../../src/jobs/image-lengths.js';
import { makeArticle } from '../helpers/articles.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
beforeEach(async () => {
  server = await startFixtureServer();
  server.route('/a.jpg', { body: Buffer.alloc(12_345, 1), type: 'image/jpeg' });
  server.route('/b.png', { body: Buffer.alloc(77, 1), type: 'image/png' });
  server.route('/moved.jpg', (_req, res) => void res.writeHead(301, { Location: '/a.jpg' }).end());
  server.route('/chunked.jpg', (_req, res) => void res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Transfer-Encoding': 'chunked' }).end());
  server.route('/gone.jpg', { body: 'gone', status: 404 });
});
afterEach(() => server.close());

const heads = (path: string) => server.requests.filter((r) => r.path === path && r.method === 'HEAD').length;

describe('createImageLengths', () => {
  it('learns lengths from HEAD requests, following redirects', async () => {
    const lengths = createImageLengths({ allowPrivateAddresses: true });
    const urls = ['/a.jpg', '/b.png', '/moved.jpg', '/chunked.jpg', '/gone.jpg'].map((p) => server.url(p));
    expect(await lengths.fill(urls)).toBe(3);
    expect(urls.map((url) => lengths.get(url))).toEqual([12_345, 77, 12_345, null, null]);
    expect(server.requests.every((r) => r.method === 'HEAD')).toBe(true);
  });

  it('learns image types from Content-Type, and nothing from a type that is not an image', async () => {
    server.route('/img/abc123', { body: Buffer.alloc(10, 1), type: 'Image/PNG; charset=binary' });
    server.route('/img/page', { body: '<html></html>', type: 'text/html' });
    const lengths = createImageLengths({ allowPrivateAddresses: true });
    const urls = ['/img/abc123', '/img/page', '/chunked.jpg', '/gone.jpg'].map((p) => server.url(p));
    await lengths.fill(urls);
    expect(urls.map((url) => lengths.typeOf(url))).toEqual(['image/png', null, 'image/jpeg', null]);
    expect(lengths.learned().map(([url]) => url)).toEqual([urls[0], urls[1], urls[2]]);
  });

  it('asks once per URL per process, failures included, and bumps its version only on news', async () => {
    const lengths = createImageLengths({ allowPrivateAddresses: true });
    const urls = [server.url('/a.jpg'), server.url('/gone.jpg'), server.url('/a.jpg')];
    await lengths.fill(urls);
    const version = lengths.version;
    expect(version).toBe(1);
    expect(await lengths.fill(urls)).toBe(0);
    expect(await Promise.all([lengths.fill(urls), lengths.fill(urls)])).toEqual([0, 0]);
    expect([heads('/a.jpg'), heads('/gone.jpg')]).toEqual([1, 1]);
    expect(lengths.version).toBe(version);
  });

  it('never has more requests in flight than its concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (req: IncomingMessage, res: ServerResponse) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'Content-Length': '10' }).end();
      }, 20);
      void req;
    };
    for (let i = 0; i < 8; i++) server.route(`/slow${i}.jpg`, slow);
    const lengths = createImageLengths({ allowPrivateAddresses: true, concurrency: 2 });
    expect(await lengths.fill(Array.from({ length: 8 }, (_, i) => server.url(`/slow${i}.jpg`)))).toBe(8);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('gives up on a server that never answers, and remembers the length as unknown', async () => {
    server.route('/hang.jpg', () => undefined);
    const lengths = createImageLengths({ allowPrivateAddresses: true, timeoutMs: 200 });
    expect(await lengths.fill([server.url('/hang.jpg')])).toBe(0);
    expect(lengths.get(server.url('/hang.jpg'))).toBeNull();
  });

  it('asks an unreachable host once per fill, and its other images again in the next fill', async () => {
    server.route('/hang1.jpg', () => undefined);
    server.route('/hang2.jpg', () => undefined);
    server.route('/hang3.jpg', () => undefined);
    const healthy = await startFixtureServer();
    try {
      healthy.route('/ok.jpg', { body: Buffer.alloc(500, 1), type: 'image/jpeg' });
      const lengths = createImageLengths({ allowPrivateAddresses: true, timeoutMs: 150, concurrency: 1 });
      const dead = ['/hang1.jpg', '/hang2.jpg', '/hang3.jpg'].map((p) => server.url(p));
      expect(await lengths.fill([...dead, healthy.url('/ok.jpg')])).toBe(1);
      expect(heads('/hang1.jpg') + heads('/hang2.jpg') + heads('/hang3.jpg')).toBe(1);
      expect(lengths.get(healthy.url('/ok.jpg'))).toBe(500);

      // The one asked is remembered as unknown; the two never asked are asked in the next fill.
      server.route('/hang2.jpg', { body: Buffer.alloc(40, 1), type: 'image/jpeg' });
      expect(await lengths.fill(dead)).toBe(1);
      expect([heads('/hang1.jpg'), heads('/hang2.jpg'), heads('/hang3.jpg')]).toEqual([1, 1, 1]);
      expect(dead.map((url) => lengths.get(url))).toEqual([null, 40, null]);
    } finally {
      await healthy.close();
    }
  });

  it('refuses private addresses unless they are allowed (SSRF rule)', async () => {
    const lengths = createImageLengths({ allowPrivateAddresses: false });
    expect(await lengths.fill([server.url('/a.jpg'), `http://localhost:${new URL(server.url('/')).port}/a.jpg`])).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses link-local literals (cloud metadata) and anything but http(s), sending nothing', async () => {
    const lengths = createImageLengths({ allowPrivateAddresses: false });
    expect(await lengths.fill(['http://169.254.169.254/latest/meta-data/x.jpg', 'ftp://example.com/a.jpg', 'not a url'])).toBe(0);
  });
});

describe('what renderers read', () => {
  it('fills only unknown lengths, and lists only images that need a HEAD', () => {
    const known = { get: (url: string) => (url.endsWith('a.jpg') ? 500 : null), typeOf: () => null };
    const missing = makeArticle({ id: 'm', image: { url: 'https://cdn.example/a.jpg', type: null, length: null } });
    const given = makeArticle({ id: 'g', image: { url: 'https://cdn.example/a.jpg', type: 'image/jpeg', length: 42 } });
    const none = makeArticle({ id: 'n' });
    expect(withLearnedImage(missing, known).image?.length).toBe(500);
    expect(withLearnedImage(given, known)).toBe(given);
    expect(withLearnedImage(none, known)).toBe(none);
    expect(withLearnedImage(missing, null)).toBe(missing);
    expect(unknownImageUrls([missing, given, none])).toEqual(['https://cdn.example/a.jpg']);
  });

  it('fills only an unknown type, and lists an image whose type is unknown', () => {
    const known = { get: () => null, typeOf: (url: string) => (url.endsWith('abc') ? 'image/png' : null) };
    const untyped = makeArticle({ id: 'u', image: { url: 'https://cdn.example/abc', type: null, length: 42 } });
    const typed = makeArticle({ id: 't', image: { url: 'https://cdn.example/abc', type: 'image/gif', length: null } });
    expect(withLearnedImage(untyped, known).image).toEqual({ url: 'https://cdn.example/abc', type: 'image/png', length: 42 });
    expect(withLearnedImage(typed, known)).toBe(typed);
    expect(unknownImageUrls([untyped])).toEqual(['https://cdn.example/abc']);
  });
});
