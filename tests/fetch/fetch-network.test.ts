/**
 * Network-level behaviour against real local sockets: the SSRF guard refusing
 * loopback targets, connection refused, DNS failure, TLS failures, the
 * concurrency limits (overall and per host) and cancellation.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.js';
import { createFetcher, type FetcherOptions } from '../../src/fetch/index.js';
import { sleep, startFixtureServer, uniquePath, type FixtureServer, OPEN, failure } from './fixture-server.js';


let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});


describe('SSRF guard (allowPrivateAddresses: false)', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', /^refusing to connect to 127\.0\.0\.1: loopback address$/],
    ['localhost', 'localhost', /^refusing to connect to localhost \(127\.0\.0\.1\): loopback address$/],
    ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', /^refusing to connect to ::ffff:7f00:1: loopback address$/],
    ['[::1]', '[::1]', /^refusing to connect to ::1: loopback address$/],
  ])('refuses %s without sending the request', async (host, _normalized, message) => {
    const path = uniquePath('guarded');
    server.route(path, (_req, res) => res.end('secret'));
    const error = await failure(createFetcher().fetch(`http://${host}:${server.port}${path}`));
    expect(error.code).toBe('blocked_address');
    expect(error.message).toMatch(message);
    expect(server.seen(path)).toHaveLength(0);
  });

  it('lets the same request through when private addresses are allowed', async () => {
    const url = server.route(uniquePath('allowed'), (_req, res) => res.end('ok'));
    expect((await createFetcher(OPEN).fetch(url)).status).toBe(200);
  });
});

describe('connection failures', () => {
  it('reports a refused connection', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(createFetcher(OPEN).fetch(`http://127.0.0.1:${port}/feed.xml`));
    expect(error.code).toBe('connect');
    expect(error.message).toBe(`connection refused by 127.0.0.1:${port}`);
  });

  it('reports a DNS failure for a .invalid name without any network', async () => {
    const error = await failure(createFetcher(OPEN).fetch('http://feeds.byline.invalid/rss'));
    expect(error.code).toBe('dns');
    expect(error.message).toBe('DNS lookup failed for feeds.byline.invalid');
  });

  it('reports a connection closed before any response as closed, not reset', async () => {
    const url = server.route(uniquePath('drop'), (req) => req.socket.destroy());
    const error = await failure(createFetcher(OPEN).fetch(url));
    expect(error.code).toBe('connect');
    expect(error.message).toMatch(/^connection closed by 127\.0\.0\.1:\d+ before any response$/);
  });

  it('reports a server that accepts and hangs up at once as closed before any response', async () => {
    // It reads (and drops) the request, so that it notices the client's close and server.close() can finish.
    const hangUp = net.createServer((socket) => socket.on('error', () => undefined).resume().end());
    await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve));
    const { port } = hangUp.address() as AddressInfo;
    try {
      const error = await failure(createFetcher(OPEN).fetch(`http://127.0.0.1:${port}/feed.xml`));
      expect(error.code).toBe('connect');
      expect(error.message).toBe(`connection closed by 127.0.0.1:${port} before any response`);
    } finally {
      await new Promise<void>((resolve) => hangUp.close(() => resolve()));
    }
  });

  it('reports a connection reset before any response as reset', async () => {
    const resetting = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.resetAndDestroy());
    });
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const { port } = resetting.address() as AddressInfo;
    try {
      const error = await failure(createFetcher(OPEN).fetch(`http://127.0.0.1:${port}/feed.xml`));
      expect(error.code).toBe('connect');
      expect(error.message).toMatch(/^connection reset by 127\.0\.0\.1:\d+$/);
    } finally {
      await new Promise<void>((resolve) => resetting.close(() => resolve()));
    }
  });

  it.each([
    ['a plain body', {}],
    ['a gzip body', { 'content-encoding': 'gzip' }],
  ])('reports a connection dropped in the middle of %s as a body cut short, not as bad content', async (_name, headers) => {
    const url = server.route(uniquePath('drop-body'), (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '10000', ...headers });
      // 3,000 of the 10,000 declared bytes arrive (for gzip, the start of a valid stream).
      const bytes = 'content-encoding' in headers ? gzipSync(randomBytes(20_000)) : Buffer.alloc(10_000, 0x61);
      res.write(bytes.subarray(0, 3000), () => res.socket?.destroy());
    });
    const error = await failure(createFetcher(OPEN).fetch(url));
    expect(error).toBeInstanceOf(FetchError);
    expect(error.code).toBe('truncated');
    expect(error.message).toMatch(/^body from 127\.0\.0\.1:\d+ ended after 3000 of 10000 bytes: connection closed$/);
  });

  it('reports a TLS handshake with a server that does not speak TLS', async () => {
    const error = await failure(createFetcher(OPEN).fetch(`https://127.0.0.1:${server.port}/`));
    expect(error.code).toBe('tls');
    expect(error.message).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+ failed: /);
  });

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!openssl)('reports a self-signed certificate as a TLS certificate error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byline-tls-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1',
          '-days', '1', '-keyout', key, '-out', cert],
        { stdio: 'ignore' },
      );
      const tls = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('x'));
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      try {
        const port = (tls.address() as AddressInfo).port;
        const error = await failure(createFetcher(OPEN).fetch(`https://127.0.0.1:${port}/`));
        expect(error.code).toBe('tls');
        expect(error.message).toBe(`TLS certificate error for 127.0.0.1:${port}: self-signed certificate`);
      } finally {
        tls.closeAllConnections();
        await new Promise<void>((resolve) => tls.close(() => resolve()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A route that holds each request `ms` and records the most in flight per Host header and overall. */
function countingRoute(name: string, ms: number): { path: string; maxPerHost: Map<string, number>; maxTotal: () => number } {
  const active = new Map<string, number>();
  const maxPerHost = new Map<string, number>();
  let total = 0;
  let maxTotal = 0;
  const path = uniquePath(name);
  server.route(path, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const now = (active.get(host) ?? 0) + 1;
    active.set(host, now);
    maxPerHost.set(host, Math.max(maxPerHost.get(host) ?? 0, now));
    total += 1;
    maxTotal = Math.max(maxTotal, total);
    void sleep(ms).then(() => {
      active.set(host, (active.get(host) ?? 1) - 1);
      total -= 1;
      res.end('ok');
    });
  });
  return { path, maxPerHost, maxTotal: () => maxTotal };
}

describe('concurrency', () => {
  it('keeps each host to perHostConcurrency while hosts run side by side', async () => {
    const route = countingRoute('per-host', 150);
    const fetcher = createFetcher({ ...OPEN, concurrency: 16, perHostConcurrency: 2 });
    const urls = ['127.0.0.1', 'localhost'].flatMap((host) =>
      Array.from({ length: 6 }, () => `http://${host}:${server.port}${route.path}`),
    );
    const results = await Promise.all(urls.map((url) => fetcher.fetch(url)));
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(route.maxPerHost.get('127.0.0.1')).toBe(2);
    expect(route.maxPerHost.get('localhost')).toBe(2);
    expect(route.maxTotal()).toBeGreaterThan(2); // both hosts were served at once
  });

  it('keeps all hosts together to concurrency', async () => {
    const route = countingRoute('global', 100);
    const fetcher = createFetcher({ ...OPEN, concurrency: 3, perHostConcurrency: 2 });
    const urls = ['127.0.0.1', 'localhost'].flatMap((host) =>
      Array.from({ length: 5 }, () => `http://${host}:${server.port}${route.path}`),
    );
    await Promise.all(urls.map((url) => fetcher.fetch(url)));
    expect(route.maxTotal()).toBe(3);
  });

  it('does not count the wait for a slot against the timeout', async () => {
    const route = countingRoute('queued', 300);
    const fetcher = createFetcher({ ...OPEN, timeoutMs: 700, concurrency: 1 });
    const url = `${server.origin}${route.path}`;
    // The third request waits about 600 ms and then needs 300 ms: longer than 700 ms in all.
    const results = await Promise.all([fetcher.fetch(url), fetcher.fetch(url), fetcher.fetch(url)]);
    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    expect(route.maxTotal()).toBe(1);
  });
});

describe('cancellation', () => {
  it('rejects promptly with the abort reason and frees the slot', async () => {
    const hang = server.route(uniquePath('cancel-hang'), () => {
      // never answers
    });
    const ok = server.route(uniquePath('cancel-ok'), (_req, res) => res.end('ok'));
    const fetcher = createFetcher({ ...OPEN, timeoutMs: 20_000, concurrency: 1 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = fetcher.fetch(hang, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await fetcher.fetch(ok)).status).toBe(200);
  });

  it('cancels a fetch still waiting for a slot', async () => {
    const hang = server.route(uniquePath('cancel-queue-hang'), () => {
      // never answers
    });
    const fetcher = createFetcher({ ...OPEN, timeoutMs: 20_000, concurrency: 1 });
    const first = new AbortController();
    const second = new AbortController();
    const running = fetcher.fetch(hang, { signal: first.signal });
    const queued = fetcher.fetch(hang, { signal: second.signal });
    const path = new URL(hang).pathname;
    while (server.seen(path).length === 0) await sleep(10);
    const reason = new Error('no longer needed');
    second.abort(reason);
    await expect(queued).rejects.toBe(reason);
    first.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.seen(path)).toHaveLength(1);
  });

  it('cancels a body in progress', async () => {
    const url = server.route(uniquePath('cancel-body'), (_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 50);
      res.once('close', () => clearInterval(timer));
    });
    const controller = new AbortController();
    const pending = createFetcher(OPEN).fetch(url, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 200);
    await expect(pending).rejects.toThrow('stop');
  });

  it('rejects at once for a signal already aborted', async () => {
    const path = uniquePath('pre-aborted');
    const url = server.route(path, (_req, res) => res.end('ok'));
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(createFetcher(OPEN).fetch(url, { signal: controller.signal })).rejects.toThrow('too late');
    expect(server.seen(path)).toHaveLength(0);
  });
});
