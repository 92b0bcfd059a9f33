/**
 * The stored text of a value: plain JSON, except an article's HTML, which
 * follows the JSON on its own line; and the reader of both forms, which never
 * throws and reads JSON written by hand or by another tool.
 */
import { describe, expect, it } from 'vitest';
import { initialSourceState } from '../../src/model/index.js';
import { CorruptValue, deserialize, encodeEnvelope, serialize, StateRecordSchema } from '../../src/store/codec.js';

const bodies = [
  '<p>plain</p>',
  '\n',
  '\n\n<p>starts and ends with newlines</p>\n',
  '<a href="x">"quoted" \\ backslash \t tab \r\n crlf</a>',
  '{"value":"looks like an envelope"}\n{"tail":"contentHtml"}',
  '<p>模型 — café 🚀 \u2028 \u2029</p>',
  '\u0000\u001f control characters',
];

describe('encodeEnvelope', () => {
  it.each(bodies)('puts the HTML after one line of JSON and reads it back exactly: %j', (html) => {
    const envelope = { value: { id: 'a', title: 'T\nwith a newline', contentHtml: html, summary: 's' }, expires: 5 };
    const text = encodeEnvelope(envelope);
    const cut = text.indexOf('\n');
    expect(JSON.parse(text.slice(0, cut))).toEqual({ value: { ...envelope.value, contentHtml: null }, expires: 5, tail: 'contentHtml' });
    expect(text.slice(cut + 1)).toBe(html);
    expect(deserialize(text)).toEqual(envelope);
  });

  it('writes plain JSON for values without HTML to move', () => {
    for (const value of ['text', 17, null, [1, 2], { id: 'a' }, { id: 'a', contentHtml: '' }, { id: 'a', contentHtml: 42 }]) {
      const envelope = { value, expires: 3 };
      expect(encodeEnvelope(envelope)).toBe(JSON.stringify(envelope));
      expect(serialize(envelope)).toBe(JSON.stringify(envelope));
    }
  });
});

describe('deserialize', () => {
  it('reads plain JSON, on one line or pretty-printed, and keeps a numeric expiry', () => {
    const value = { id: 'a', contentHtml: '<p>x\ny</p>' };
    expect(deserialize(JSON.stringify({ value, expires: 9 }))).toEqual({ value, expires: 9 });
    expect(deserialize(JSON.stringify({ value, expires: null }, null, 2))).toEqual({ value, expires: undefined });
  });

  it.each([
    ['not JSON', '{"value": {"id": "a",', /^not JSON/],
    ['not an envelope', '{"id":"a"}', /not a keyv envelope/],
    ['text after the JSON line without a tail field', '{"value":{"id":"a"}}\n<p>x</p>', /^not JSON/],
    ['a tail naming another field', '{"value":{"id":"a"},"tail":"title"}\n<p>x</p>', /^not JSON/],
    ['a tail on a value that is not an object', '{"value":"a","tail":"contentHtml"}\n<p>x</p>', /^not JSON/],
  ])('marks %s as corrupt, with the raw text, without throwing', (_name, raw, reason) => {
    const read = deserialize(raw);
    expect(read?.value).toBeInstanceOf(CorruptValue);
    expect((read?.value as CorruptValue).raw).toBe(raw);
    expect((read?.value as CorruptValue).reason).toMatch(reason);
  });
});

describe('StateRecordSchema', () => {
  it('reads a source state stored before the wire hash was kept, with no wire hash', () => {
    // A state as stored before: every field of today's but the wire hash.
    const { wireHash: _notStoredThen, ...stored } = { ...initialSourceState('s'), bodyHash: 'ab12', revision: 2 };
    expect(StateRecordSchema.parse(stored)).toEqual({ ...stored, wireHash: null });
    expect(StateRecordSchema.parse({ ...stored, wireHash: 'cd34' }).wireHash).toBe('cd34');
  });
});
