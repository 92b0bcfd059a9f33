/**
 * Kept-alive HTTP/1.1 connections, per origin, for the fetcher's own client
 * (request.ts). Every socket reads into one scratch buffer that the pool
 * owns (node:net's `onread`), so a socket read allocates nothing; whoever
 * reads the connection must copy what it keeps before returning.
 */
import net, { isIP, type LookupFunction, type Socket } from 'node:net';
import tls from 'node:tls';
import { bareHostname, guardConnectedSocket } from './guard.js';

/** One socket read; a larger one takes more reads, never more memory. */
const SCRATCH_BYTES = 64 * 1024;
/** How long an idle connection is kept when the server did not say (`Keep-Alive: timeout=N`). */
const DEFAULT_IDLE_MS = 30_000;
/** Closed this long before the server's own idle timeout, so a request does not race the server's close. */
const IDLE_MARGIN_MS = 1_000;
/** TLS sessions kept for resumption, one per origin, the oldest dropped first. */
const MAX_SESSIONS = 256;

/** Whoever reads the connection now: the exchange in progress. */
export interface ConnectionReader {
  /** Bytes read; a view of the scratch buffer, valid only during the call. */
  bytes(view: Buffer): void;
  /** The server ended the connection. */
  end(): void;
  error(error: Error): void;
}

/** A connection and who reads it; `reader` is null while it waits in the pool. */
export interface Connection {
  readonly socket: Socket;
  /** `protocol//host:port`: which idle list it goes back to. */
  readonly origin: string;
  reader: ConnectionReader | null;
  /** True once the connection has carried a response: a pooled server may have closed it since. */
  reused: boolean;
}

/** The connections of one fetcher. */
export interface ConnectionPool {
  /** An idle connection to the origin of `url`, or (with `fresh`, or none idle) a new one. */
  take(url: URL, fresh: boolean): Connection;
  /** Puts a connection whose response is complete back, or closes it when it cannot carry another request. */
  give(connection: Connection, reusable: boolean, serverIdleMs: number | null): void;
  /** Closes the idle connections. */
  close(): void;
}

export interface ConnectionPoolOptions {
  lookup: LookupFunction;
  /** Judge each new connection's peer address (the SSRF guard is on). */
  guardSocket: boolean;
}

function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function defaultPort(url: URL): number {
  return url.protocol === 'https:' ? 443 : 80;
}

export function createConnectionPool(options: ConnectionPoolOptions): ConnectionPool {
  // One buffer serves every socket: node fills it for a socket's read and calls that socket's
  // onread callback at once, and the reader copies what it keeps before it returns.
  const scratch = Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  const idle = new Map<string, Connection[]>();
  const sessions = new Map<string, Buffer>();

  // A new connection to an origin seen before resumes its TLS session (a cheaper handshake for both
  // sides), as node:https's agent does; a session that fails is forgotten. tls.connect hands `onread`
  // on to the socket it creates, though its typings do not list it.
  const connectTls = (origin: string, target: tls.ConnectionOptions, onread: net.OnReadOpts): tls.TLSSocket => {
    const socket = tls.connect(
      Object.assign(target, { ALPNProtocols: ['http/1.1'], session: sessions.get(origin), onread }),
    );
    socket.on('session', (session: Buffer) => {
      sessions.delete(origin);
      sessions.set(origin, session);
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value ?? '');
    });
    socket.once('error', () => sessions.delete(origin));
    return socket;
  };

  const forget = (connection: Connection): void => {
    const list = idle.get(connection.origin);
    const at = list?.indexOf(connection) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    if (list?.length === 0) idle.delete(connection.origin);
  };

  const open = (url: URL, origin: string): Connection => {
    const host = bareHostname(url.hostname);
    const port = url.port === '' ? defaultPort(url) : Number(url.port);
    const onread = {
      buffer: scratch,
      callback: (bytes: number): boolean => {
        if (connection.reader) connection.reader.bytes(scratch.subarray(0, bytes));
        // Bytes nobody asked for on an idle connection: it is no longer in a state to reuse.
        else socket.destroy();
        return true;
      },
    };
    const socket: Socket =
      url.protocol === 'https:'
        ? connectTls(origin, { host, port, servername: isIP(host) === 0 ? host : undefined, lookup: options.lookup }, onread)
        : net.connect({ host, port, lookup: options.lookup, onread });
    socket.setNoDelay(true);
    const connection: Connection = { socket, origin, reader: null, reused: false };
    if (options.guardSocket) guardConnectedSocket(socket, url.hostname);
    socket.on('end', () => {
      if (connection.reader) connection.reader.end();
      else socket.destroy();
    });
    socket.on('error', (error) => connection.reader?.error(error));
    // The idle timeout set by give(); a connection in use has none.
    socket.on('timeout', () => {
      if (!connection.reader) socket.destroy();
    });
    socket.on('close', () => {
      forget(connection);
      connection.reader?.error(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }));
    });
    return connection;
  };

  return {
    take(url, fresh) {
      const origin = originOf(url);
      let pooled: Connection | undefined;
      // A connection destroyed a moment ago leaves the list on its 'close' event, which may not have come yet.
      do pooled = fresh ? undefined : idle.get(origin)?.pop();
      while (pooled?.socket.destroyed);
      if (idle.get(origin)?.length === 0) idle.delete(origin);
      if (pooled === undefined) return open(url, origin);
      pooled.socket.setTimeout(0);
      pooled.socket.ref();
      pooled.reused = true;
      return pooled;
    },
    give(connection, reusable, serverIdleMs) {
      connection.reader = null;
      const idleMs = serverIdleMs === null ? DEFAULT_IDLE_MS : serverIdleMs - IDLE_MARGIN_MS;
      const { socket } = connection;
      if (!reusable || idleMs <= 0 || socket.destroyed || !socket.writable) {
        socket.destroy();
        return;
      }
      // A decoder that fell behind may have paused the socket: an idle one reads, to notice the server's close.
      socket.resume();
      // An idle connection never holds the process open, and goes before the server would close it.
      socket.unref();
      socket.setTimeout(idleMs);
      const list = idle.get(connection.origin) ?? [];
      list.push(connection);
      idle.set(connection.origin, list);
    },
    close() {
      for (const list of idle.values()) for (const connection of list) connection.socket.destroy();
      idle.clear();
    },
  };
}
