/**
 * The streaming XML writer the feeds are written with, and the output buffer
 * under it: the same document as the tree writer for any structure, values
 * split into pieces written exactly as if whole (surrogate pairs and `]]>`
 * across pieces included), namespace declarations for exactly the prefixes
 * used, and the chunked join giving the same bytes as one join.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../../src/render/output-buffer.js';
import { cdata, el, serializeXmlDocument, stripInvalidXmlChars, textEl, type XmlNode } from '../../src/render/xml.js';
import { XmlWriter } from '../../src/render/xml-writer.js';
import { childNamed, parseXml } from './xml-support.js';

/** Any UTF-16 string, lone surrogates and control characters included. */
const anyString = fc.string({ unit: 'binary', maxLength: 40 });
/** Strings full of the characters that matter at a split: surrogate halves, `]`, `>`, controls. */
const tricky = fc
  .array(fc.constantFrom('😀', '\uD83D', '\uDE00', ']', ']]', '>', ']]>', '\u0000', 'a', '&', '<', '中'), { maxLength: 12 })
  .map((parts) => parts.join(''));
/** A string and the same string cut into pieces at arbitrary UTF-16 positions. */
const splitString = fc.tuple(fc.oneof(tricky, anyString), fc.array(fc.nat(), { maxLength: 4 })).map(([value, cuts]) => {
  const points = [...new Set(cuts.map((cut) => cut % (value.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let last = 0;
  for (const point of points) {
    pieces.push(value.slice(last, point));
    last = point;
  }
  pieces.push(value.slice(last));
  return { value, pieces };
});

describe('XmlWriter', () => {
  it('writes a value given in pieces exactly as the whole value, as text and as CDATA', () => {
    fc.assert(
      fc.property(splitString, ({ value, pieces }) => {
        const whole = new XmlWriter().root('r', null).textOf('t', [value]).cdata('c', [value]).finish();
        const split = new XmlWriter().root('r', null).textOf('t', pieces).cdata('c', pieces).finish();
        expect(split).toBe(whole);
        const root = parseXml(split);
        expect(childNamed(root, 't').text).toBe(stripInvalidXmlChars(value));
        expect(childNamed(root, 'c').text).toBe(stripInvalidXmlChars(value));
      }),
      { numRuns: 500 },
    );
  });

  it('writes the same document as the tree writer', () => {
    const tree = (value: string, attr: string): XmlNode =>
      el('root', { a: attr, n: 3, skipped: null }, el('list', null, textEl('t', value), el('e', { b: attr })), el('c', null, cdata(value)), textEl('empty', ''));
    fc.assert(
      fc.property(anyString, anyString, (value, attr) => {
        const streamed = new XmlWriter()
          .root('root', { a: attr, n: 3, skipped: null })
          .open('list')
          .text('t', value)
          .empty('e', { b: attr })
          .close()
          .cdata('c', [value])
          .text('empty', '')
          .finish();
        expect(streamed).toBe(serializeXmlDocument(tree(value, attr)));
      }),
      { numRuns: 200 },
    );
  });

  it('declares exactly the namespace prefixes used, sorted, after the root attributes', () => {
    const namespaces = { a: 'urn:a', b: 'urn:b', unused: 'urn:unused' };
    const doc = new XmlWriter().root('r', { version: '1', 'xml:lang': 'en' }, namespaces).empty('b:x').empty('y', { 'a:z': '1' }).finish();
    expect(doc).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<r version="1" xml:lang="en" xmlns:a="urn:a" xmlns:b="urn:b">\n  <b:x/>\n  <y a:z="1"/>\n</r>\n');
  });

  it('refuses a prefix it was not given a namespace for', () => {
    const writer = new XmlWriter().root('r', null, { a: 'urn:a' }).empty('b:x');
    expect(() => writer.finish()).toThrow(/prefix "b"/);
  });

  it('leaves out text elements whose value is null and attributes whose value is null or undefined', () => {
    const doc = new XmlWriter().root('r', null).text('gone', null).text('kept', '', { x: undefined, y: null, z: 0 }).finish();
    expect(doc).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<r>\n  <kept z="0"></kept>\n</r>\n');
  });

  it('writes the stylesheet processing instruction with its address escaped', () => {
    const doc = new XmlWriter({ stylesheetHref: '/a.xsl?x=1&y="2"' }).root('r', null).finish();
    expect(doc.split('\n')[1]).toBe('<?xml-stylesheet type="text/xsl" href="/a.xsl?x=1&amp;y=&quot;2&quot;"?>');
  });

  it('writes many items with escaped bodies, joined in chunks, exactly as one string', () => {
    const body = '<p>A body &amp; more</p>'.repeat(300);
    const writer = new XmlWriter().root('feed', null);
    let expected = '<?xml version="1.0" encoding="UTF-8"?>\n<feed>\n';
    for (let i = 0; i < 400; i++) {
      writer.open('entry').text('id', `n${i}`).text('content', body).close();
      expected += `  <entry>\n    <id>n${i}</id>\n    <content>${body.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</content>\n  </entry>\n`;
    }
    expect(writer.finish()).toBe(`${expected}</feed>\n`);
  });
});

describe('OutputBuffer', () => {
  it('gives the parts in order with head and tail, whether or not they were joined into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyString, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1 << 21 })), { maxLength: 30 }), (pushes) => {
        const out = new OutputBuffer();
        let expected = '';
        for (const [part, how, size] of pushes) {
          // Short and long values, copies and originals, with and without an item boundary after them.
          const long = how === 3 ? 'x'.repeat(size) : part;
          if (how === 0) out.parts.push(part);
          else if (how === 1) out.pushEscaped(part, part);
          else if (how === 2) out.pushEscaped(part, `${part}!`);
          else out.pushCopy(long);
          if (size % 2 === 0) out.settle();
          expected += long;
        }
        expect(out.finish(['<h>'], ['</t>'])).toBe(`<h>${expected}</t>`);
      }),
    );
  });

  it('takes what was pushed so far and starts again empty', () => {
    const out = new OutputBuffer();
    out.parts.push('a', 'b');
    out.pushEscaped('c&amp;', 'c&');
    expect(out.take()).toBe('abc&amp;');
    out.parts.push('d');
    expect(out.finish()).toBe('d');
  });
});
