/**
 * What the fetch tests share: the fixture server (tests/helpers), a fresh
 * path per test (which keeps their state apart on one server), a body
 * streamer, and the fetcher options for the loopback server.
 */
import type { ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { FetchError } from '../../src/errors.js';
import type { FetcherOptions } from '../../src/fetch/index.js';
import { caught } from '../helpers/caught.js';

export { startFixtureServer, type FixtureServer, type Handler } from '../helpers/fixture-server.js';

let counter = 0;

/** A path no other test uses. */
export function uniquePath(name: string): string {
  counter += 1;
  return `/${name}-${counter}`;
}

/**
 * Streams `total` zero bytes in 64 KiB chunks, honouring backpressure, so a big
 * body is never allocated. Resolves with how many bytes were handed to the socket
 * before it finished or the client went away.
 */
export function streamZeros(response: ServerResponse, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  return new Promise((resolve) => {
    const finish = (): void => resolve(written);
    response.once('close', finish);
    const pump = (): void => {
      while (written < total && !response.destroyed) {
        const piece = total - written >= chunk.length ? chunk : chunk.subarray(0, total - written);
        written += piece.length;
        if (!response.write(piece)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fetcher options for tests against this loopback server: private addresses allowed, a 5 s budget. */
export const OPEN: FetcherOptions = { allowPrivateAddresses: true, timeoutMs: 5000 };

/** Awaits a fetch that must fail and returns its FetchError. */
export const failure = (promise: Promise<unknown>): Promise<FetchError> => caught(promise, FetchError);

/** A TCP origin run by a test script; see {@link startRawOrigin}. */
export interface RawOrigin {
  server: net.Server;
  base: string;
  /** Connections accepted so far. */
  connections: () => number;
}

/**
 * A TCP origin on 127.0.0.1 that calls `answer` for each request head it
 * reads, with the socket to write to and the request's index on that
 * connection: HTTP exactly as a test writes it, including what node:http's
 * server would never send.
 */
export async function startRawOrigin(answer: (socket: net.Socket, index: number) => void): Promise<RawOrigin> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let index = 0;
    let buffered = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n') && !socket.destroyed) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        answer(socket, index++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}
