/**
 * The SSRF guard: keeps a feed URL (or any redirect it leads to) from making
 * byline connect to loopback, private or other non-public addresses. It checks
 * at the only place that cannot be fooled by DNS tricks: the addresses handed
 * to the socket (a custom `lookup`), plus IP-literal hosts, which skip lookup.
 */
import dns from 'node:dns';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { classifyAddress } from './address.js';
import { FetchFailure } from './failure.js';

/** Resolves a host name to every address, like `dns.lookup(host, { all: true })`. */
export type Resolver = (
  hostname: string,
  options: dns.LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, callback);
};

/** RFC 6761: names under `.invalid` must fail at once, without asking any server. */
function isReservedInvalidName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'invalid' || name.endsWith('.invalid');
}

function notFound(hostname: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  error.code = 'ENOTFOUND';
  error.syscall = 'getaddrinfo';
  (error as NodeJS.ErrnoException & { hostname: string }).hostname = hostname;
  return error;
}

/** The first non-public address among `addresses`, as a blocked_address failure; null when all are public. */
export function blockedAmong(hostname: string, addresses: readonly string[]): FetchFailure | null {
  for (const address of addresses) {
    const addressKind = classifyAddress(address);
    if (addressKind !== 'public') {
      return new FetchFailure({ kind: 'blocked_address', host: hostname, address, addressKind });
    }
  }
  return null;
}

/**
 * A `lookup` for http(s).request. With the guard on, a name that resolves to any
 * non-public address is refused (all of them are checked: happy-eyeballs may try
 * each). `.invalid` names fail immediately either way.
 */
export function createGuardedLookup(options: { allowPrivateAddresses: boolean; resolve?: Resolver }): LookupFunction {
  const resolve = options.resolve ?? systemResolver;
  return (hostname, lookupOptions, callback) => {
    if (isReservedInvalidName(hostname)) {
      callback(notFound(hostname), []);
      return;
    }
    resolve(hostname, lookupOptions, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      if (!options.allowPrivateAddresses) {
        const blocked = blockedAmong(hostname, addresses.map((a) => a.address));
        if (blocked) {
          callback(blocked, []);
          return;
        }
      }
      if (lookupOptions.all) {
        callback(null, addresses);
        return;
      }
      const first = addresses[0];
      if (!first) callback(notFound(hostname), []);
      else callback(null, first.address, first.family);
    });
  };
}

/** URL.hostname without the brackets of an IPv6 literal. */
export function bareHostname(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** IP-literal hosts never reach `lookup`, so they are judged here; null when allowed or not a literal. */
export function checkLiteralHost(hostname: string): FetchFailure | null {
  const bare = bareHostname(hostname);
  return isIP(bare) === 0 ? null : blockedAmong(bare, [bare]);
}

/**
 * Defence in depth: once the socket connects, judge the peer address itself,
 * whatever path produced it. Destroys the socket with a blocked_address failure.
 */
export function guardConnectedSocket(socket: Socket, hostname: string): void {
  const check = (): void => {
    const address = socket.remoteAddress;
    const blocked = blockedAmong(hostname, [address ?? '']);
    if (blocked) socket.destroy(blocked);
  };
  if (socket.remoteAddress !== undefined && !socket.connecting) check();
  else socket.once('connect', check);
}
