/**
 * What byline's HTTP/1.1 client makes of a response head's fields and of the
 * URL it is given, against scripted raw servers: fields a server repeats,
 * credentials in the feed URL, a Location in UTF-8, a Content-Length that does
 * not frame the body, and an empty compressed body read with known hashes.
 */
import net, { type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.js';
import { failure, OPEN, startFixtureServer, type FixtureServer } from './fixture-server.js';

const FEED = '<rss version="2.0"><channel><title>t</title></channel></rss>';
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  // Last opened, first closed: a fetcher lets go of its connections before their server stops.
  for (const close of closers.splice(0).reverse()) await close();
});

interface RawRequest {
  path: string;
  /** The request head as sent, Latin-1. */
  head: string;
}

/**
 * A TCP origin that answers each request head by its path with bytes the
 * test writes, and remembers every head it read.
 */
async function rawOrigin(answer: (request: RawRequest, socket: net.Socket) => void): Promise<{ base: string; requests: RawRequest[] }> {
  const requests: RawRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1 && !socket.destroyed; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end + 4);
        buffered = buffered.slice(end + 4);
        const request = { path: /^GET (\S+)/.exec(head)?.[1] ?? '', head };
        requests.push(request);
        answer(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

async function fixture(): Promise<FixtureServer> {
  const server = await startFixtureServer();
  closers.push(() => server.close());
  return server;
}

function fetcherFor(options = OPEN): ReturnType<typeof createFetcher> {
  const fetcher = createFetcher(options);
  closers.push(async () => fetcher.close());
  return fetcher;
}

const text = (body: Uint8Array | null): string => Buffer.from(body ?? []).toString('utf8');

describe('repeated fields', () => {
  it('takes the first Location, ETag, Last-Modified and Content-Type, and sends validators back unjoined', async () => {
    const lastModified = 'Wed, 21 Oct 2025 07:28:00 GMT';
    const origin = await rawOrigin(({ path }, socket) => {
      if (path === '/old.xml') {
        socket.write('HTTP/1.1 301 Moved\r\nLocation: /new.xml\r\nLocation: /other.xml\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const head = [
        'HTTP/1.1 200 OK',
        'Content-Type: application/rss+xml; charset=utf-8',
        'Content-Type: text/html',
        'ETag: "a"',
        'ETag: "b"',
        `Last-Modified: ${lastModified}`,
        `Last-Modified: ${lastModified}`,
        `Content-Length: ${FEED.length}`,
      ];
      socket.write(`${head.join('\r\n')}\r\n\r\n${FEED}`);
    });
    const fetcher = fetcherFor();
    const result = await fetcher.fetch(`${origin.base}/old.xml`);
    expect(result.finalUrl).toBe(`${origin.base}/new.xml`);
    expect(result.permanentRedirect).toBe(`${origin.base}/new.xml`);
    expect(result.contentType).toBe('application/rss+xml; charset=utf-8');
    expect([result.etag, result.lastModified]).toEqual(['"a"', lastModified]);

    await fetcher.fetch(`${origin.base}/new.xml`, { etag: result.etag, lastModified: result.lastModified });
    const conditional = origin.requests.at(-1)!.head;
    expect(conditional).toContain('If-None-Match: "a"\r\n');
    expect(conditional).toContain(`If-Modified-Since: ${lastModified}\r\n`);
  });
});

describe('credentials in the feed URL', () => {
  it('sends them as Basic authorization, decoded, to that origin only', async () => {
    const server = await fixture();
    server.route('/private.xml', (req, res) => {
      const expected = `Basic ${Buffer.from('alice:s3cret:ü', 'utf8').toString('base64')}`;
      if (req.headers.authorization !== expected) return void res.writeHead(401).end();
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(FEED);
    });
    const elsewhere = await fixture();
    elsewhere.route('/landing.xml', { body: FEED, type: 'application/rss+xml' });
    server.route('/moved.xml', (_req, res) => void res.writeHead(302, { Location: elsewhere.url('/landing.xml') }).end());
    const withCredentials = (path: string): string => server.url(path).replace('http://', 'http://alice:s3cret%3A%C3%BC@');

    const fetcher = fetcherFor();
    expect(text((await fetcher.fetch(withCredentials('/private.xml'))).body)).toBe(FEED);
    expect((await failure(fetcher.fetch(server.url('/private.xml')))).code).toBe('http_status');

    await fetcher.fetch(withCredentials('/moved.xml'));
    expect(server.requests.find((r) => r.path === '/moved.xml')?.headers.authorization).toMatch(/^Basic /);
    expect(elsewhere.requests.find((r) => r.path === '/landing.xml')?.headers.authorization).toBeUndefined();
  });
});

describe('a Location with characters beyond ASCII', () => {
  it('reads it as UTF-8, as browsers do, and keeps bytes that are not UTF-8 as they came', async () => {
    const origin = await rawOrigin(({ path }, socket) => {
      if (path === '/start.xml') {
        socket.write(Buffer.concat([Buffer.from('HTTP/1.1 301 Moved\r\nLocation: /caf'), Buffer.from('é', 'utf8'), Buffer.from('.xml\r\nContent-Length: 0\r\n\r\n')]));
      } else if (path === '/caf%C3%A9.xml') {
        socket.write(Buffer.concat([Buffer.from('HTTP/1.1 302 Found\r\nLocation: /na'), Buffer.from([0xef]), Buffer.from('ve.xml\r\nContent-Length: 0\r\n\r\n')]));
      } else {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${FEED.length}\r\n\r\n${FEED}`);
      }
    });
    const result = await fetcherFor().fetch(`${origin.base}/start.xml`);
    // Latin-1 ï (0xEF) alone is not UTF-8: the URL parser encodes it as the character it is.
    expect(origin.requests.map((r) => r.path)).toEqual(['/start.xml', '/caf%C3%A9.xml', '/na%C3%AFve.xml']);
    expect(result.permanentRedirect).toBe(`${origin.base}/caf%C3%A9.xml`);
  });
});

describe('a Content-Length that does not frame the body', () => {
  it('is not held against the size limit beside chunked coding or on a 204', async () => {
    const origin = await rawOrigin(({ path }, socket) => {
      if (path === '/chunked.xml') socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
      else socket.write('HTTP/1.1 204 No Content\r\nContent-Length: 99999999\r\n\r\n');
    });
    const fetcher = fetcherFor({ ...OPEN, maxBytes: 1000 });
    expect(text((await fetcher.fetch(`${origin.base}/chunked.xml`)).body)).toBe('hello');
    const empty = await fetcher.fetch(`${origin.base}/none.xml`);
    expect([empty.status, text(empty.body)]).toEqual([204, '']);
  });

  it('still refuses a body it does frame that is over the limit, before reading it', async () => {
    const origin = await rawOrigin((_request, socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n'));
    const error = await failure(fetcherFor({ ...OPEN, maxBytes: 1000 }).fetch(`${origin.base}/big.xml`));
    expect(error.code).toBe('too_large');
  });
});

describe('an empty compressed body', () => {
  it('reads as empty with the last body\'s hashes given, as it does without them', async () => {
    let answered = 0;
    const origin = await rawOrigin((_request, socket) => {
      if (answered++ === 0) {
        const body = gzipSync(FEED);
        socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
      } else {
        socket.write('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n');
      }
    });
    const fetcher = fetcherFor();
    const first = await fetcher.fetch(`${origin.base}/feed.xml`);
    expect(text(first.body)).toBe(FEED);
    const known = await fetcher.fetch(`${origin.base}/feed.xml`, { bodySha256: first.bodySha256, wireSha256: first.wireSha256 });
    expect([known.status, text(known.body)]).toEqual([200, '']);
    expect(text((await fetcher.fetch(`${origin.base}/feed.xml`)).body)).toBe('');
  });
});
