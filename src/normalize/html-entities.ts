/**
 * Character reference decoding for the HTML scanner: named (`&amp;`, legacy
 * `&copy` without the semicolon), decimal and hexadecimal references, with the
 * HTML standard's replacements for code points that must not appear (NUL,
 * surrogates, beyond U+10FFFF, the C1 controls that Windows-1252 pages meant as
 * punctuation). Text and attribute values differ only for legacy names without
 * a semicolon: inside an attribute `&copy=1` stays as written, because such
 * strings are nearly always URL query parameters.
 */
import { ATTRIBUTE_LEGACY_PREFIXES, NAMED_REFERENCES } from './html-entity-table.js';

/** Longest named reference (`CounterClockwiseContourIntegral`) is 31 characters. */
const MAX_NAME_LENGTH = 32;
const LONGEST_LEGACY_NAME = 6;

/** Windows-1252 meanings of the C1 code points, which is what `&#150;` means on real pages. */
const C1_REPLACEMENTS: Readonly<Record<number, number>> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6,
  0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c,
  0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
  0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

interface NameTables {
  /** Every name (without `&` and `;`) and the text it stands for. */
  values: Map<string, string>;
  /** Names that also decode without the semicolon. */
  legacy: Set<string>;
  /** Every prefix of every name, the names included: how far a reference can still match. */
  prefixes: Set<string>;
  attributeLegacyPrefixes: Set<string>;
}

let tables: NameTables | null = null;

/** Unpacked on first use: most feeds only ever meet `&amp;` and friends, but every worker pays this once. */
function nameTables(): NameTables {
  if (tables) return tables;
  const values = new Map<string, string>();
  const legacy = new Set<string>();
  const prefixes = new Set<string>();
  for (const entry of NAMED_REFERENCES.split(' ')) {
    const isLegacy = entry.startsWith('!');
    const [name = '', hex = ''] = (isLegacy ? entry.slice(1) : entry).split('=');
    values.set(name, String.fromCodePoint(...hex.split('+').map((digits) => parseInt(digits, 16))));
    if (isLegacy) legacy.add(name);
    for (let length = 1; length <= name.length; length++) prefixes.add(name.slice(0, length));
  }
  tables = { values, legacy, prefixes, attributeLegacyPrefixes: new Set(ATTRIBUTE_LEGACY_PREFIXES) };
  return tables;
}

/**
 * The text of the last reference `decodeReference` accepted: a variable rather
 * than a returned object, since this runs for every reference of every item.
 */
export let decodedReference = '';

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
}

/** What a numeric reference stands for, after the standard's replacements. */
function referencedCodePoint(value: number): string {
  if (value === 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(C1_REPLACEMENTS[value] ?? value);
}

/**
 * Decodes the character reference whose `&` is at `at`. Returns the index just
 * past it (its text is then in `decodedReference`), or -1 when the `&` starts
 * no reference and stays a literal ampersand.
 */
export function decodeReference(source: string, at: number, inAttribute: boolean): number {
  const start = at + 1;
  if (source.charCodeAt(start) === 0x23) return decodeNumeric(source, start + 1);
  let end = start;
  while (end < source.length && end - start < MAX_NAME_LENGTH && isAsciiAlphanumeric(source.charCodeAt(end))) end++;
  if (end === start) return -1;
  const { values, legacy, prefixes, attributeLegacyPrefixes } = nameTables();
  // How far a name still matches: the reference ends where no name goes on.
  let matched = end - start;
  while (matched > 0 && !prefixes.has(source.slice(start, start + matched))) matched--;
  if (matched === 0) return -1;
  const name = source.slice(start, start + matched);
  const stop = start + matched;
  if (source.charCodeAt(stop) === 0x3b && values.has(name)) {
    decodedReference = values.get(name) ?? '';
    return stop + 1;
  }
  // No semicolon: only a legacy name decodes, the longest one the match starts with.
  let legacyLength = Math.min(matched, LONGEST_LEGACY_NAME);
  while (legacyLength > 0 && !legacy.has(source.slice(start, start + legacyLength))) legacyLength--;
  if (legacyLength === 0) return -1;
  if (inAttribute && !attributeLegacyPrefixes.has(name)) {
    if (stop >= source.length) {
      if (legacyLength !== matched) return -1;
    } else if (!values.has(name) || isAsciiAlphanumeric(source.charCodeAt(stop)) || source.charCodeAt(stop) === 0x3d) {
      return -1;
    }
  }
  decodedReference = values.get(source.slice(start, start + legacyLength)) ?? '';
  return start + legacyLength;
}

function decodeNumeric(source: string, from: number): number {
  const hex = (source.charCodeAt(from) | 0x20) === 0x78;
  const digitsStart = hex ? from + 1 : from;
  let position = digitsStart;
  let value = 0;
  for (; position < source.length; position++) {
    const code = source.charCodeAt(position);
    let digit: number;
    if (code >= 0x30 && code <= 0x39) digit = code - 0x30;
    else if (hex && (code | 0x20) >= 0x61 && (code | 0x20) <= 0x66) digit = (code | 0x20) - 0x61 + 10;
    else break;
    // Anything past U+10FFFF is replaced anyway; capping keeps huge digit runs exact.
    value = Math.min(value * (hex ? 16 : 10) + digit, 0x110000);
  }
  if (position === digitsStart) return -1;
  if (source.charCodeAt(position) === 0x3b) position++;
  decodedReference = referencedCodePoint(value);
  return position;
}

/**
 * `source[from, to)` with every character reference decoded, by the rules of
 * text or of an attribute value. `to` must not cut a reference short: callers
 * end ranges at a `<`, a quote or whitespace, which no reference contains.
 */
export function decodeReferences(source: string, from: number, to: number, inAttribute: boolean): string {
  // Searching the slice keeps each search for `&` within the range, however long the rest of the source.
  const text = from === 0 && to === source.length ? source : source.slice(from, to);
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  let out = '';
  let copied = 0;
  while (amp >= 0) {
    // Decoded against the whole source: what follows the range decides how a reference at its very end reads.
    const end = decodeReference(source, from + amp, inAttribute);
    if (end < 0) {
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    out += text.slice(copied, amp) + decodedReference;
    copied = end - from;
    amp = text.indexOf('&', copied);
  }
  return out + text.slice(copied);
}
