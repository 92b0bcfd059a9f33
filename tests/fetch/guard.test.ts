/**
 * Tests of the SSRF guard at the lookup level: which resolutions pass, which
 * are refused, how results are handed back in both lookup shapes, literal
 * hosts, and the RFC 6761 `.invalid` short cut.
 */
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FetchFailure } from '../../src/fetch/failure.js';
import { checkLiteralHost, createGuardedLookup, type Resolver } from '../../src/fetch/guard.js';

/** A resolver answering from a fixed table, standing in for DNS answers we cannot get offline. */
function tableResolver(table: Record<string, string[]>): Resolver {
  return (hostname, _options, callback) => {
    const addresses = table[hostname];
    if (!addresses) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      return;
    }
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
}

interface LookupOutcome {
  error: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family: number | undefined;
}

function lookup(fn: LookupFunction, hostname: string, all: boolean): Promise<LookupOutcome> {
  return new Promise((resolve) => {
    fn(hostname, { all }, (error, address, family) => resolve({ error, address, family }));
  });
}

const TABLE = {
  'feeds.example.org': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'rebind.example.org': ['93.184.216.34', '127.0.0.1'],
  'metadata.example.org': ['169.254.169.254'],
  'mapped.example.org': ['::ffff:10.0.0.1'],
  'nat64.example.org': ['64:ff9b::c0a8:1'],
  'intranet.example.org': ['10.1.2.3'],
};

describe('createGuardedLookup with the guard on', () => {
  const guarded = createGuardedLookup({ allowPrivateAddresses: false, resolve: tableResolver(TABLE) });

  it('passes a public name through, in the all: true shape', async () => {
    const outcome = await lookup(guarded, 'feeds.example.org', true);
    expect(outcome.error).toBeNull();
    expect(outcome.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
  });

  it('passes a public name through, in the single-address shape', async () => {
    const outcome = await lookup(guarded, 'feeds.example.org', false);
    expect(outcome).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it.each([
    ['rebind.example.org', '127.0.0.1', 'loopback'],
    ['metadata.example.org', '169.254.169.254', 'link_local'],
    ['mapped.example.org', '::ffff:10.0.0.1', 'private'],
    ['nat64.example.org', '64:ff9b::c0a8:1', 'private'],
    ['intranet.example.org', '10.1.2.3', 'private'],
  ])('refuses %s (resolves to %s)', async (hostname, address, addressKind) => {
    const outcome = await lookup(guarded, hostname, true);
    expect(outcome.error).toBeInstanceOf(FetchFailure);
    expect((outcome.error as FetchFailure).detail).toEqual({ kind: 'blocked_address', host: hostname, address, addressKind });
  });

  it('refuses localhost resolved by the system resolver', async () => {
    const system = createGuardedLookup({ allowPrivateAddresses: false });
    const outcome = await lookup(system, 'localhost', true);
    expect(outcome.error).toBeInstanceOf(FetchFailure);
    expect((outcome.error as FetchFailure).detail).toMatchObject({ kind: 'blocked_address', host: 'localhost' });
  });

  it('passes resolver errors through', async () => {
    const outcome = await lookup(guarded, 'unknown.example.org', true);
    expect(outcome.error?.code).toBe('ENOTFOUND');
  });
});

describe('createGuardedLookup with the guard off', () => {
  it('lets private addresses through', async () => {
    const open = createGuardedLookup({ allowPrivateAddresses: true, resolve: tableResolver(TABLE) });
    const outcome = await lookup(open, 'intranet.example.org', false);
    expect(outcome).toEqual({ error: null, address: '10.1.2.3', family: 4 });
  });

  it.each(['feed.invalid', 'FEED.INVALID.', 'invalid'])('fails %s at once without asking the resolver', async (hostname) => {
    let asked = false;
    const open = createGuardedLookup({
      allowPrivateAddresses: true,
      resolve: (name, options, callback) => {
        asked = true;
        tableResolver({})(name, options, callback);
      },
    });
    const outcome = await lookup(open, hostname, true);
    expect(outcome.error?.code).toBe('ENOTFOUND');
    expect(asked).toBe(false);
  });
});

describe('checkLiteralHost', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['[::1]', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['10.0.0.1', 'private'],
    ['169.254.169.254', 'link_local'],
    ['[fe80::1]', 'link_local'],
    ['0.0.0.0', 'unspecified'],
  ])('refuses %s', (hostname, addressKind) => {
    expect(checkLiteralHost(hostname)?.detail).toMatchObject({ kind: 'blocked_address', addressKind });
  });

  it.each(['93.184.216.34', '[2606:4700:4700::1111]', 'localhost', 'feeds.example.org'])(
    'leaves %s alone (public literal or a name for lookup to judge)',
    (hostname) => {
      expect(checkLiteralHost(hostname)).toBeNull();
    },
  );
});
