/**
 * What the SQLite writer thread is handed: each value encoded once, on the
 * caller's thread, into one transferable buffer of UTF-8, with the keys and
 * expiries beside it.
 */
import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../src/store/codec.js';
import { packRows } from '../../src/store/sqlite-pack.js';

describe('packRows', () => {
  it('lays each value out as UTF-8, end to end, in a buffer of exactly their size', () => {
    const article = { value: { id: 'a', contentHtml: '<p>模型 — "café"\n🚀</p>' }, expires: null };
    const packed = packRows([
      ['byline:article:a', article, null],
      ['byline:state:s', '{"value":{"sourceId":"s"}}', 1_700_000_000_000],
      ['byline:empty', '', null],
      ['byline:lone', '"\uD800"', null],
    ]);
    expect(packed.keys).toEqual(['byline:article:a', 'byline:state:s', 'byline:empty', 'byline:lone']);
    expect(packed.expires).toEqual([null, 1_700_000_000_000, null, null]);
    const bytes = Buffer.from(packed.bytes);
    const texts = packed.ends.map((end, i) => bytes.toString('utf8', packed.ends[i - 1] ?? 0, end));
    // A lone surrogate has no UTF-8 form: it is written as U+FFFD (binding the string stored its raw bytes, invalid UTF-8).
    expect(texts).toEqual([encodeEnvelope(article), '{"value":{"sourceId":"s"}}', '', '"\uFFFD"']);
    expect(packed.bytes.byteLength).toBe(packed.ends.at(-1));
  });

  it('gives the buffer its own memory, so that it can be transferred', () => {
    const packed = packRows([['k', '"v"', null]]);
    expect(packed.bytes.byteLength).toBe(3);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(packed.bytes, [packed.bytes]);
    expect(packed.bytes.byteLength).toBe(0);
    port1.close();
    port2.close();
  });

  it('encodes values larger than its scratch room in full, and each commit into a buffer of its own', () => {
    // 3 bytes of UTF-8 per UTF-16 unit (CJK), and 4 per pair (emoji): 1.5 MB and 0.8 MB, more than the 1 MB reserved.
    const cjk = '模'.repeat(500_000);
    const emoji = '🚀'.repeat(200_000);
    const first = packRows([
      ['a', cjk, null],
      ['b', { value: { contentHtml: emoji }, expires: null }, null],
    ]);
    const second = packRows([['c', '"short"', null]]);
    const bytes = Buffer.from(first.bytes);
    expect(first.ends).toEqual([1_500_000, 1_500_000 + Buffer.byteLength(encodeEnvelope({ value: { contentHtml: emoji }, expires: null }))]);
    expect(bytes.toString('utf8', 0, first.ends[0])).toBe(cjk);
    expect(bytes.toString('utf8', first.ends[0], first.ends[1])).toBe(encodeEnvelope({ value: { contentHtml: emoji }, expires: null }));
    expect(Buffer.from(second.bytes).toString('utf8')).toBe('"short"');
    expect(second.bytes.byteLength).toBe(7);
  });

  it('packs an empty write', () => {
    expect(packRows([])).toEqual({ keys: [], expires: [], ends: [], bytes: new ArrayBuffer(0) });
  });
});
