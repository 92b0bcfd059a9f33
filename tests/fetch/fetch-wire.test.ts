/**
 * byline's own HTTP/1.1 client against servers that answer byte by byte as
 * a test scripts them: framings node:http's server would not produce, a
 * server that is not HTTP at all, connections that must not be reused,
 * many bodies read at once through one scratch buffer, and HTTPS (the
 * certificate is tests/fixtures/tls, made for these tests only).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.js';
import { failure, OPEN, sleep, startRawOrigin, type RawOrigin } from './fixture-server.js';

const FEED = '<rss version="2.0"><channel><title>t</title></channel></rss>';
const TLS_DIR = path.resolve(import.meta.dirname, '../fixtures/tls');
const servers: Array<Server | net.Server> = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function listen<T extends Server | net.Server>(server: T): Promise<T> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A raw origin closed after the test. */
async function rawOrigin(answer: (socket: net.Socket, index: number) => void): Promise<RawOrigin> {
  const origin = await startRawOrigin(answer);
  servers.push(origin.server);
  return origin;
}

/** Writes `text` a few bytes at a time, a turn of the event loop apart. */
async function trickle(socket: net.Socket, text: string, size = 7): Promise<void> {
  for (let at = 0; at < text.length; at += size) {
    socket.write(text.slice(at, at + size), 'latin1');
    await sleep(1);
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const text = (body: Uint8Array | null): string => Buffer.from(body ?? []).toString('utf8');

describe('framing on the wire', () => {
  it('reads a chunked body that arrives a few bytes at a time', async () => {
    const origin = await rawOrigin((socket) => {
      const chunks = [FEED.slice(0, 20), FEED.slice(20)].map((part) => `${part.length.toString(16)}\r\n${part}\r\n`).join('');
      void trickle(socket, `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`);
    });
    const fetcher = createFetcher(OPEN);
    try {
      const result = await fetcher.fetch(`${origin.base}/feed.xml`);
      expect(text(result.body)).toBe(FEED);
      expect(result.bytesReceived).toBe(FEED.length);
      await turn();
      await fetcher.fetch(`${origin.base}/again.xml`);
      expect(origin.connections()).toBe(1);
    } finally {
      fetcher.close();
    }
  });

  it('reads a body that ends with the connection, and opens a new connection for the next fetch', async () => {
    const origin = await rawOrigin((socket) => {
      socket.end(`HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n${FEED}`);
    });
    const fetcher = createFetcher(OPEN);
    try {
      expect(text((await fetcher.fetch(`${origin.base}/a.xml`)).body)).toBe(FEED);
      expect(text((await fetcher.fetch(`${origin.base}/b.xml`)).body)).toBe(FEED);
      expect(origin.connections()).toBe(2);
    } finally {
      fetcher.close();
    }
  });

  it('reads a body under a Transfer-Encoding other than chunked to the end of the connection, decoding it', async () => {
    const gzipped = gzipSync(FEED);
    const origin = await rawOrigin((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n');
      socket.end(gzipped);
    });
    const old = await rawOrigin((socket) => socket.end(`HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n${FEED}`));
    const chunked = await rawOrigin((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${gzipped.length.toString(16)}\r\n`);
      socket.write(gzipped);
      socket.write('\r\n0\r\n\r\n');
    });
    const fetcher = createFetcher(OPEN);
    try {
      expect(text((await fetcher.fetch(`${origin.base}/feed.xml`)).body)).toBe(FEED);
      expect(text((await fetcher.fetch(`${old.base}/feed.xml`)).body)).toBe(FEED);
      expect(text((await fetcher.fetch(`${chunked.base}/feed.xml`)).body)).toBe(FEED);
    } finally {
      fetcher.close();
    }
  });

  it('reads the final response after an interim 100 Continue', async () => {
    const origin = await rawOrigin((socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${FEED.length}\r\n\r\n${FEED}`);
    });
    const fetcher = createFetcher(OPEN);
    try {
      const result = await fetcher.fetch(`${origin.base}/feed.xml`);
      expect(result.status).toBe(200);
      expect(text(result.body)).toBe(FEED);
    } finally {
      fetcher.close();
    }
  });

  it('does not reuse a connection that sent bytes past the end of its response', async () => {
    const origin = await rawOrigin((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${FEED.length}\r\n\r\n${FEED}garbage`);
    });
    const fetcher = createFetcher(OPEN);
    try {
      expect(text((await fetcher.fetch(`${origin.base}/a.xml`)).body)).toBe(FEED);
      await turn();
      expect(text((await fetcher.fetch(`${origin.base}/b.xml`)).body)).toBe(FEED);
      expect(origin.connections()).toBe(2);
    } finally {
      fetcher.close();
    }
  });

  it("does not keep a connection the server will close within a second (Keep-Alive: timeout=1)", async () => {
    const origin = await rawOrigin((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: ${FEED.length}\r\n\r\n${FEED}`);
    });
    const fetcher = createFetcher(OPEN);
    try {
      await fetcher.fetch(`${origin.base}/a.xml`);
      await turn();
      await fetcher.fetch(`${origin.base}/b.xml`);
      expect(origin.connections()).toBe(2);
    } finally {
      fetcher.close();
    }
  });

  it("closes an idle connection a second before the server's Keep-Alive timeout", async () => {
    let closedAfterMs = -1;
    const started = Date.now();
    const origin = await rawOrigin((socket) => {
      socket.once('close', () => (closedAfterMs = Date.now() - started));
      socket.write(`HTTP/1.1 200 OK\r\nKeep-Alive: timeout=2\r\nContent-Length: ${FEED.length}\r\n\r\n${FEED}`);
    });
    const fetcher = createFetcher(OPEN);
    try {
      await fetcher.fetch(`${origin.base}/a.xml`);
      await sleep(600);
      expect(closedAfterMs).toBe(-1);
      await sleep(900);
      expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    } finally {
      fetcher.close();
    }
  });

  it('reuses a connection whose gzip body arrived whole before it was read', async () => {
    // More compressed bytes than a stream buffers before it asks its source to pause, all in one read.
    const feed = `<rss version="2.0"><channel><title>${randomBytes(30_000).toString('base64')}</title></channel></rss>`;
    const gzipped = gzipSync(feed);
    const origin = await rawOrigin((socket) => {
      socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gzipped.length}\r\n\r\n`), gzipped]));
    });
    const fetcher = createFetcher({ ...OPEN, timeoutMs: 2000 });
    try {
      for (const name of ['a', 'b', 'c']) expect(text((await fetcher.fetch(`${origin.base}/${name}.xml`)).body)).toBe(feed);
      expect(origin.connections()).toBe(1);
    } finally {
      fetcher.close();
    }
  });

  it('reports an answer that is not HTTP as a malformed response, saying why', async () => {
    const origin = await rawOrigin((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    const error = await failure(createFetcher(OPEN).fetch(`${origin.base}/feed.xml`));
    expect(error.code).toBe('connect');
    expect(error.message).toBe(`malformed HTTP response from ${origin.base.slice('http://'.length)}: malformed status line "SSH-2.0-OpenSSH_9.2"`);
  });

  it.each<[string, (socket: net.Socket) => void, string]>([
    [
      'a body shorter than its Content-Length',
      (socket) => socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${FEED}`),
      `body from HOST ended after ${FEED.length} of 1000 bytes: connection closed`,
    ],
    [
      'a chunked body without its last chunk',
      (socket) => socket.end(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<rss>\r\n20\r\n<channel>`),
      'chunked body from HOST ended after 14 bytes, before its last chunk: connection closed',
    ],
    [
      'a chunked body in its trailer fields',
      (socket) => socket.end(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<rss>\r\n0\r\nX-Digest: a`),
      'chunked body from HOST ended in its trailer fields, after its last chunk (5 bytes): connection closed',
    ],
    [
      'a head',
      (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Le'),
      'response from HOST ended in its headers: connection closed',
    ],
    [
      'a body, by a reset',
      (socket) => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${FEED}`, () => setTimeout(() => socket.resetAndDestroy(), 20)),
      `body from HOST ended after ${FEED.length} of 1000 bytes: connection reset`,
    ],
    [
      'a body read to the end of the connection, by a reset',
      (socket) => socket.write(`HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n${FEED}`, () => setTimeout(() => socket.resetAndDestroy(), 20)),
      `body from HOST ended after ${FEED.length} bytes: connection reset`,
    ],
  ])('reports %s cut short by the server as truncated, saying how far it got', async (_name, answer, message) => {
    const origin = await rawOrigin(answer);
    const error = await failure(createFetcher(OPEN).fetch(`${origin.base}/feed.xml`));
    expect(error.code).toBe('truncated');
    expect(error.message).toBe(message.replace('HOST', origin.base.slice('http://'.length)));
  });
});

describe('many bodies at once', () => {
  it('keeps 24 bodies read side by side apart, each whole', async () => {
    const bodies = Array.from({ length: 24 }, () => randomBytes(200_000).toString('base64'));
    const server = await listen(
      createServer((req, res) => {
        const index = Number(req.url?.slice(1));
        // Half of them chunked, so both framings share the scratch buffer at once.
        if (index % 2 === 0) res.writeHead(200, { 'Content-Length': String(bodies[index]!.length) });
        res.end(bodies[index]);
      }),
    );
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const fetcher = createFetcher({ ...OPEN, concurrency: 24, perHostConcurrency: 24 });
    try {
      const results = await Promise.all(bodies.map((_, index) => fetcher.fetch(`${base}/${index}`)));
      const hash = (value: string | Uint8Array): string => createHash('sha256').update(value).digest('hex');
      expect(results.map((result) => hash(result.body ?? new Uint8Array()))).toEqual(bodies.map(hash));
    } finally {
      fetcher.close();
    }
  });
});

describe('https', () => {
  const cert = readFileSync(path.join(TLS_DIR, 'localhost-cert.pem'));
  const key = readFileSync(path.join(TLS_DIR, 'localhost-key.pem'));
  const big = Array.from({ length: 8 }, () => randomBytes(300_000));

  /** An https origin; `resumed` lists, per TLS connection, whether it resumed an earlier session. */
  async function tlsOrigin(): Promise<{ base: string; resumed: boolean[] }> {
    const resumed: boolean[] = [];
    const server = createTlsServer({ cert, key }, (req, res) => {
      const bigIndex = /^\/big\/(\d+)$/.exec(req.url ?? '');
      if (bigIndex) res.end(big[Number(bigIndex[1])]);
      else if (req.url?.endsWith('?gzip')) res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync(FEED));
      else if (req.url?.endsWith('?close')) res.writeHead(200, { Connection: 'close' }).end(FEED);
      else res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(FEED);
    });
    server.on('secureConnection', (socket) => resumed.push(socket.isSessionReused()));
    await listen(server);
    return { base: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, resumed };
  }

  it('refuses a certificate it cannot verify', async () => {
    const origin = await tlsOrigin();
    const error = await failure(createFetcher(OPEN).fetch(`${origin.base}/feed.xml`));
    expect(error.code).toBe('tls');
    expect(error.message).toMatch(/^TLS certificate error for 127\.0\.0\.1:\d+: self-signed certificate/);
  });

  it('reads plain and gzip bodies over a verified, kept-alive connection, resumes the session on a new one, and keeps parallel bodies apart', async () => {
    const origin = await tlsOrigin();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'tls-child.ts'), origin.base, String(big.length)],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(TLS_DIR, 'localhost-cert.pem') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(JSON.parse(output)).toEqual({
      first: { status: 200, body: FEED },
      second: { status: 200, body: null },
      gzipped: { status: 200, body: FEED, bytesReceived: gzipSync(FEED).length },
      resumed: { status: 200, body: FEED },
      parallel: big.map((bytes) => createHash('sha256').update(bytes).digest('hex')),
    });
    // Four fetches on the first connection, then a new one that resumed its session.
    expect(origin.resumed.slice(0, 2)).toEqual([false, true]);
  });
});
