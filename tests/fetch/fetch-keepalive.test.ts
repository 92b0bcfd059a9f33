/**
 * Connection reuse: one fetcher keeps connections alive between fetches to
 * the same origin (304s included), sends a request again on a fresh
 * connection when the server had closed the pooled one, and close() frees
 * the pool.
 */
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.js';
import { failure, OPEN, startRawOrigin } from './fixture-server.js';

const FEED = '<rss version="2.0"><channel><title>t</title></channel></rss>';
/** The feed, answered with keep-alive as a raw origin writes it. */
const KEEP_ALIVE_ANSWER = `HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: ${Buffer.byteLength(FEED)}\r\nConnection: keep-alive\r\n\r\n${FEED}`;
const servers: Array<Server | net.Server> = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** An origin that counts the TCP connections it accepts; /304 answers Not Modified. */
async function countingOrigin(): Promise<{ base: string; connections: () => number; sockets: Set<Socket> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (req.url === '/304') res.writeHead(304, { ETag: '"v1"' }).end();
    else res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: '"v1"' }).end(FEED);
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections, sockets };
}

describe('keep-alive', () => {
  it('reuses one connection for consecutive fetches, 200 and 304 alike', async () => {
    const origin = await countingOrigin();
    const fetcher = createFetcher(OPEN);
    try {
      // A finished response hands its socket back to the pool on the next turn of the event loop.
      const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
      expect((await fetcher.fetch(`${origin.base}/a.xml`)).status).toBe(200);
      await settle();
      expect((await fetcher.fetch(`${origin.base}/304`, { etag: '"v1"' })).notModified).toBe(true);
      await settle();
      expect((await fetcher.fetch(`${origin.base}/b.xml`)).status).toBe(200);
      expect(origin.connections()).toBe(1);
    } finally {
      fetcher.close();
    }
  });

  it('close() ends the idle pooled connections', async () => {
    const origin = await countingOrigin();
    const fetcher = createFetcher(OPEN);
    await fetcher.fetch(`${origin.base}/a.xml`);
    expect(origin.sockets.size).toBe(1);
    fetcher.close();
    await new Promise<void>((resolve) => {
      const poll = (): void => (origin.sockets.size === 0 ? resolve() : void setTimeout(poll, 10));
      poll();
    });
    expect(origin.sockets.size).toBe(0);
  });

  it('sends again on a fresh connection when the server closed the pooled one without a response', async () => {
    // As above, but the server closes the connection cleanly on the second request instead of resetting it.
    const origin = await startRawOrigin((socket, index) => {
      if (index > 0) socket.end();
      else socket.write(KEEP_ALIVE_ANSWER);
    });
    servers.push(origin.server);
    const fetcher = createFetcher(OPEN);
    try {
      expect((await fetcher.fetch(`${origin.base}/first.xml`)).status).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
      expect(Buffer.from((await fetcher.fetch(`${origin.base}/second.xml`)).body!).toString()).toBe(FEED);
      expect(origin.connections()).toBe(2);
    } finally {
      fetcher.close();
    }
  });

  it('does not send again when a fresh connection closes without a response', async () => {
    const origin = await startRawOrigin((socket) => socket.end());
    servers.push(origin.server);
    const fetcher = createFetcher(OPEN);
    try {
      const error = await failure(fetcher.fetch(`${origin.base}/feed.xml`));
      expect(error.code).toBe('connect');
      expect(error.message).toMatch(/^connection closed by 127\.0\.0\.1:\d+ before any response$/);
      expect(origin.connections()).toBe(1);
    } finally {
      fetcher.close();
    }
  });

  it('sends again once, not in a loop, when the fresh connection closes without a response too', async () => {
    let requestsSeen = 0;
    const origin = await startRawOrigin((socket, index) => {
      requestsSeen++;
      if (requestsSeen > 1) socket.end();
      else if (index === 0) socket.write(KEEP_ALIVE_ANSWER);
    });
    servers.push(origin.server);
    const fetcher = createFetcher(OPEN);
    try {
      expect((await fetcher.fetch(`${origin.base}/first.xml`)).status).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
      const error = await failure(fetcher.fetch(`${origin.base}/second.xml`));
      expect(error.message).toMatch(/^connection closed by 127\.0\.0\.1:\d+ before any response$/);
      // The pooled connection, then one fresh connection: the request was sent twice, never a third time.
      expect(requestsSeen).toBe(3);
      expect(origin.connections()).toBe(2);
    } finally {
      fetcher.close();
    }
  });

  it('sends again on a fresh connection when the server dropped the pooled one', async () => {
    // A raw origin that answers the first request on each connection with keep-alive, then resets the
    // connection as soon as a second request arrives on it: the race of a server closing an idle socket.
    let requestsSeen = 0;
    const origin = await startRawOrigin((socket, index) => {
      requestsSeen++;
      if (index > 0) socket.resetAndDestroy();
      else socket.write(KEEP_ALIVE_ANSWER);
    });
    servers.push(origin.server);
    const { base } = origin;
    const fetcher = createFetcher(OPEN);
    try {
      expect((await fetcher.fetch(`${base}/first.xml`)).status).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
      const second = await fetcher.fetch(`${base}/second.xml`);
      expect(second.status).toBe(200);
      expect(Buffer.from(second.body!).toString()).toBe(FEED);
      // Three requests in all: the one the reset connection swallowed was sent again on a new connection.
      expect(requestsSeen).toBe(3);
      expect(origin.connections()).toBe(2);
    } finally {
      fetcher.close();
    }
  });
});
