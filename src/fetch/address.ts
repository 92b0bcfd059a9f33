/**
 * Pure classification of IP addresses for the SSRF guard: is this address on
 * the public internet, or somewhere a feed URL must never make us connect to
 * (loopback, private networks, link-local, cloud metadata, multicast...)?
 * IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * judged by the IPv4 address they carry.
 */

/** Every class an address can fall in; only `public` may be connected to when the guard is on. */
export const ADDRESS_KINDS = [
  'public',
  'loopback',
  'private',
  'link_local',
  'unique_local',
  'unspecified',
  'cgnat',
  'multicast',
  'broadcast',
  'documentation',
  'reserved',
  'invalid',
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/** Words an operator reads in a `blocked_address` message ("a loopback address"). */
export const ADDRESS_KIND_LABELS: Readonly<Record<AddressKind, string>> = {
  public: 'public',
  loopback: 'loopback',
  private: 'private-network',
  link_local: 'link-local',
  unique_local: 'unique-local',
  unspecified: 'unspecified',
  cgnat: 'carrier-grade NAT',
  multicast: 'multicast',
  broadcast: 'broadcast',
  documentation: 'documentation-only',
  reserved: 'reserved',
  invalid: 'unparseable',
};

type V4Rule = readonly [network: string, bits: number, kind: AddressKind];

// Most specific first: the first matching rule wins.
const V4_RULES: readonly V4Rule[] = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 32, 'unspecified'],
  ['0.0.0.0', 8, 'reserved'], // "this network"
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'], // includes the cloud metadata address 169.254.169.254
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** An IPv6 rule either names a kind or says where an embedded IPv4 address sits (bit offset from the top). */
type V6Rule = readonly [network: string, bits: number, verdict: AddressKind | { embeddedV4At: number }];

const V6_RULES: readonly V6Rule[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, { embeddedV4At: 96 }], // IPv4-mapped
  ['::ffff:0:0:0', 96, { embeddedV4At: 96 }], // IPv4-translated (SIIT)
  ['::', 96, { embeddedV4At: 96 }], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96, { embeddedV4At: 96 }], // well-known NAT64 prefix
  ['64:ff9b:1::', 48, 'reserved'], // local-use NAT64
  ['100::', 64, 'reserved'], // discard-only
  ['2001:db8::', 32, 'documentation'],
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo
  ['2002::', 16, { embeddedV4At: 16 }], // 6to4
  ['3fff::', 20, 'documentation'],
  ['fc00::', 7, 'unique_local'],
  ['fe80::', 10, 'link_local'],
  ['fec0::', 10, 'private'], // deprecated site-local
  ['ff00::', 8, 'multicast'],
  ['2000::', 3, 'public'], // global unicast
  ['::', 0, 'reserved'], // everything else is unallocated
];

/** Parses a strict dotted-quad IPv4 address into an unsigned 32-bit number, or null. */
export function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** Parses an IPv6 address (optionally bracketed, with a zone id or a dotted IPv4 tail) into a 128-bit bigint, or null. */
export function parseIPv6(text: string): bigint | null {
  let input = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = input.indexOf('%');
  if (zone !== -1) input = input.slice(0, zone);

  // A dotted IPv4 tail stands for the last two 16-bit groups.
  let tail: number[] = [];
  if (input.includes('.')) {
    const lastColon = input.lastIndexOf(':');
    if (lastColon === -1) return null;
    const v4 = parseIPv4(input.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [v4 >>> 16, v4 & 0xffff];
    // Keep a trailing "::" (it may stand for the groups before the tail), drop a single ":".
    input = input.slice(0, lastColon + 1);
    if (!input.endsWith('::')) input = input.slice(0, -1);
  }

  const halves = input.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const groups: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const head = parseGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === null || rest === null) return null;
  const explicit = [...head, ...rest, ...tail];
  let groups: number[];
  if (halves.length === 2) {
    if (explicit.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - explicit.length).fill(0), ...rest, ...tail];
  } else {
    if (explicit.length !== 8) return null;
    groups = explicit;
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function classifyV4(value: number): AddressKind {
  for (const [network, bits, kind] of V4_RULES) {
    const net = parseIPv4(network) ?? 0;
    if (bits === 0 || value >>> (32 - bits) === net >>> (32 - bits)) return kind;
  }
  return 'public';
}

function classifyV6(value: bigint): AddressKind {
  for (const [network, bits, verdict] of V6_RULES) {
    const shift = BigInt(128 - bits);
    if (value >> shift !== (parseIPv6(network) ?? 0n) >> shift) continue;
    if (typeof verdict === 'string') return verdict;
    const embedded = Number((value >> BigInt(128 - verdict.embeddedV4At - 32)) & 0xffffffffn);
    return classifyV4(embedded);
  }
  return 'reserved';
}

/**
 * Classifies an IPv4 or IPv6 address in textual form (as dns.lookup, a socket or
 * URL.hostname give it). Anything unparseable is `invalid`, which the guard blocks.
 */
export function classifyAddress(address: string): AddressKind {
  const v4 = parseIPv4(address);
  if (v4 !== null) return classifyV4(v4);
  const v6 = address.includes(':') ? parseIPv6(address) : null;
  if (v6 !== null) return classifyV6(v6);
  return 'invalid';
}

/** True when the address may be connected to with the SSRF guard on. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}
