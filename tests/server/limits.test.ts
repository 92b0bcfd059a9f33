/**
 * The server's own limits on clients (listen.ts), against raw sockets on
 * 127.0.0.1: a client sending its headers a byte at a time, or nothing, or
 * one that stops reading its response, is cut off; a reader that is slow but
 * keeps reading gets a feed of several MB in full, however long it takes:
 * no limit bounds a response's time.
 * The limits are made short here so the tests run in a second or two.
 */
import type { Server } from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, createOutputCache, listen, type App, type ServerLimits } from '../../src/server/index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const SHORT: Partial<ServerLimits> = { headersTimeoutMs: 300, requestTimeoutMs: 400, checkIntervalMs: 50, idleTimeoutMs: 300 };

/** About 8 MB of feed: more than the kernel's buffers on loopback (about 4 MB) take in at once. */
const BIG = Array.from({ length: 200_000 }, (_, i) => `<item><title>Item ${i}</title></item>`).join('');

/** The app over one built feed (built before the test, so only sending it is timed). */
async function appOver(feed: string): Promise<App> {
  const outputs = createOutputCache<string>({
    revision: async () => 'v1',
    snapshot: async () => 'v1',
    render: (_snapshot, path) => (path === 'feed.xml' ? feed : null),
  });
  await outputs.get('feed.xml');
  return createApp({ outputs, health: async () => [], describe: () => ({ store: 'sqlite', sources: 0, cycleRunning: false }) });
}

async function start(app: App, limits: Partial<ServerLimits>): Promise<number> {
  const { server, url } = await listen(app, 0, '127.0.0.1', limits);
  servers.push(server);
  return Number(new URL(url).port);
}

/** Resolves once the server has no connection left (a paused client would not notice the close). */
async function allClosed(server: Server): Promise<void> {
  for (;;) {
    const count = await new Promise<number>((resolve, reject) => server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
    if (count === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A connection that records what it received and when the server closed it. */
function connect(port: number): { socket: net.Socket; received: () => string; closed: Promise<number> } {
  const started = Date.now();
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (bytes: Buffer) => {
    received += bytes.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
  return { socket, received: () => received, closed };
}

describe('limits on slow clients', () => {
  it('closes a connection whose client sends its headers a byte at a time', async () => {
    const port = await start(await appOver('<rss/>'), SHORT);
    const { socket, received, closed } = connect(port);
    const head = `GET /feed.xml HTTP/1.1\r\nHost: byline.test\r\nUser-Agent: ${'x'.repeat(500)}\r\n\r\n`;
    let at = 0;
    const dribble = setInterval(() => {
      if (!socket.destroyed && at < head.length) socket.write(head[at++]!);
    }, 20);
    try {
      const after = await closed;
      // Cut off at the headers' limit (plus one check), long before the head's 10 s of bytes were sent.
      expect(after).toBeLessThan(2000);
      expect(at).toBeLessThan(head.length / 2);
      expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(dribble);
    }
  });

  it('closes a connection on which the client sends nothing', async () => {
    const port = await start(await appOver('<rss/>'), SHORT);
    expect(await connect(port).closed).toBeLessThan(2000);
  });

  it('closes a connection whose client stops reading its response', async () => {
    // Longer keep-alive and request limits than the idle one: only the stalled write can end this connection.
    const port = await start(await appOver(BIG), { ...SHORT, keepAliveTimeoutMs: 60_000 });
    const { socket } = connect(port);
    const started = Date.now();
    socket.write('GET /feed.xml HTTP/1.1\r\nHost: byline.test\r\n\r\n');
    await new Promise<void>((resolve) =>
      socket.once('data', () => {
        socket.pause();
        resolve();
      }),
    );
    await allClosed(servers[servers.length - 1]!);
    expect(Date.now() - started).toBeLessThan(3000);
    socket.destroy();
  });

  it.each([
    ['the fast path', (app: App): App => app],
    ['the Request path', (app: App): App => ({ fetch: (request) => app.fetch(request) })],
  ])('sends a large feed in full, through %s, to a reader that is slow but keeps reading', { timeout: 15_000 }, async (_name, path) => {
    // On loopback the kernel takes a large write in steps of up to 1.6 MB, 400 ms apart for this reader:
    // the idle limit must leave room for those, as a real one leaves room for a slow link's.
    const limits = { ...SHORT, idleTimeoutMs: 1500 };
    const port = await start(path(await appOver(BIG)), limits);
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    socket.write('GET /feed.xml HTTP/1.1\r\nHost: byline.test\r\nConnection: close\r\n\r\n');
    const chunks: Buffer[] = [];
    // A read of at most 64 KiB every 10 ms: the transfer lasts several times the limit on a whole request.
    socket.on('data', (bytes: Buffer) => {
      chunks.push(bytes);
      socket.pause();
      setTimeout(() => socket.resume(), 10);
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('end', resolve);
      socket.on('error', reject);
    });
    const response = Buffer.concat(chunks).toString('latin1');
    const body = response.slice(response.indexOf('\r\n\r\n') + 4);
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(body.length).toBe(BIG.length);
    expect(body === BIG).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(2 * limits.requestTimeoutMs!);
  });

  it('closes connections beyond its cap as they arrive, and serves those within it', async () => {
    const port = await start(await appOver('<rss/>'), { maxConnections: 2 });
    const held = [connect(port), connect(port)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = connect(port);
    expect(await extra.closed).toBeLessThan(1000);
    expect(extra.received()).toBe('');
    const [first] = held;
    first!.socket.write('GET /feed.xml HTTP/1.1\r\nHost: byline.test\r\nConnection: close\r\n\r\n');
    await first!.closed;
    expect(first!.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*<rss\/>$/);
    for (const { socket } of held) socket.destroy();
  });
});
