/**
 * The XML writer and date formatting under arbitrary input: whatever string
 * goes in, the document parses and gives back the same text minus the
 * characters XML forbids; dates are English RFC 822 that parse back to the
 * same second.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHumanUtc, formatIsoUtc, formatRfc822, latestIso } from '../../src/render/dates.js';
import { imageType } from '../../src/render/media.js';
import { cdata, el, serializeXmlDocument, stripInvalidXmlChars, textEl } from '../../src/render/xml.js';
import { PYTHON } from '../interop/external-tools.js';
import { childNamed, parseXml } from './xml-support.js';

/**
 * Expat, through the system Python, does what every conforming XML parser
 * does and the sax parser of parseXml does not: it reads a literal CR or CRLF
 * as a line feed, and tab and line breaks in an attribute value as spaces.
 */
const READ_WITH_EXPAT = `
import json, sys
from xml.dom import minidom
root = minidom.parseString(sys.stdin.buffer.read()).documentElement
def text(node):
    return "".join(c.data for c in node.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE))
print(json.dumps({"attr": root.getAttribute("a"), "children": [text(c) for c in root.childNodes if c.nodeType == c.ELEMENT_NODE]}))
`;
const hasPython = spawnSync(PYTHON, ['-c', 'import xml.dom.minidom'], { stdio: 'ignore' }).status === 0;

function readWithExpat(doc: string): { attr: string; children: string[] } {
  const result = spawnSync(PYTHON, ['-c', READ_WITH_EXPAT], { input: doc, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { attr: string; children: string[] };
}

/** Any UTF-16 string, lone surrogates and control characters included. */
const anyString = fc.string({ unit: 'binary', maxLength: 80 });
const withCdataEnds = fc.array(fc.oneof(anyString, fc.constant(']]>'), fc.constant(']]'), fc.constant('>')), { maxLength: 6 }).map((parts) => parts.join(''));

describe('XML writer', () => {
  it('round-trips any text, attribute and CDATA value exactly (minus forbidden characters)', () => {
    fc.assert(
      fc.property(withCdataEnds, anyString, anyString, (cdataValue, textValue, attrValue) => {
        const doc = serializeXmlDocument(
          el('root', { a: attrValue }, el('c', null, cdata(cdataValue)), textEl('t', textValue)),
        );
        const root = parseXml(doc);
        expect(root.attrs['a']).toBe(stripInvalidXmlChars(attrValue));
        expect(childNamed(root, 'c').text).toBe(stripInvalidXmlChars(cdataValue));
        expect(childNamed(root, 't').text).toBe(stripInvalidXmlChars(textValue));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a\u0000b\u0008c\u000Bd\u000Ce\u001Ff', 'abcdef'],
    ['tab\tnl\ncr\r', 'tab\tnl\ncr\r'],
    ['\uD800lone\uDFFF', 'lone'],
    ['\uFFFE\uFFFFx\uFFFD', 'x\uFFFD'],
    ['emoji 😀 中文', 'emoji 😀 中文'],
  ])('strips forbidden characters from %j', (input, expected) => {
    expect(stripInvalidXmlChars(input)).toBe(expected);
  });

  it.skipIf(!hasPython)('keeps CR, CRLF, LF and tab through a conforming parser in text, CDATA and attributes', () => {
    const values = ['a\rb', 'a\r\nb', 'a\nb', 'a\tb', '\r', 'x]]\r>y', 'x]]>\r\n]]>y'];
    for (const value of values) {
      const doc = serializeXmlDocument(el('root', { a: value }, textEl('t', value), el('c', null, cdata(value))));
      expect(readWithExpat(doc), JSON.stringify(value)).toEqual({ attr: value, children: [value, value] });
    }
  });

  it('splits `]]>` across CDATA sections', () => {
    const doc = serializeXmlDocument(el('r', null, cdata('x]]>y')));
    expect(doc).toContain('<r><![CDATA[x]]]]><![CDATA[>y]]></r>');
  });

  it('omits attributes whose value is null or undefined and falsy children', () => {
    const doc = serializeXmlDocument(el('r', { a: null, b: undefined, c: 0 }, null, false, textEl('x', null)));
    expect(doc).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<r c="0"/>\n');
  });
});

describe('dates', () => {
  it.each([
    ['2024-03-05T10:00:00Z', 'Tue, 05 Mar 2024 10:00:00 +0000'],
    ['2024-03-05T10:00:00+08:00', 'Tue, 05 Mar 2024 02:00:00 +0000'],
    ['1999-12-31T23:59:59.999-00:30', 'Sat, 01 Jan 2000 00:29:59 +0000'],
    ['2024-02-29T00:00:00Z', 'Thu, 29 Feb 2024 00:00:00 +0000'],
  ])('formats %s as RFC 822 %s', (iso, expected) => {
    expect(formatRfc822(iso)).toBe(expected);
  });

  it('formats any date as English RFC 822 that parses back to the same second', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const text = formatRfc822(date.toISOString());
        expect(text).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/);
        expect(Date.parse(text)).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
    );
  });

  it('formats RFC 3339 in UTC, keeping milliseconds only when present', () => {
    expect(formatIsoUtc('2024-03-05T10:00:00+08:00')).toBe('2024-03-05T02:00:00Z');
    expect(formatIsoUtc('2024-03-05T10:00:00.250Z')).toBe('2024-03-05T10:00:00.250Z');
    expect(formatHumanUtc('2024-03-05T10:07:00+08:00')).toBe('2024-03-05 02:07 UTC');
  });

  it('keeps a date that an offset carries past year 0000 or 9999 in UTC at the end of the range', () => {
    expect(formatRfc822('0000-01-01T05:00:00+14:00')).toBe('Sat, 01 Jan 0000 00:00:00 +0000');
    expect(formatIsoUtc('0000-01-01T05:00:00+14:00')).toBe('0000-01-01T00:00:00Z');
    expect(formatIsoUtc('9999-12-31T20:00:00-05:00')).toBe('9999-12-31T23:59:59.999Z');
    expect(formatRfc822('9999-12-31T20:00:00-05:00')).toBe('Fri, 31 Dec 9999 23:59:59 +0000');
  });

  it('refuses an invalid date instead of printing NaN', () => {
    expect(() => formatRfc822('not a date')).toThrow(RangeError);
  });

  it('picks the latest date by instant, not by string order', () => {
    expect(latestIso(['2024-03-05T10:00:00+08:00', '2024-03-05T03:00:00Z'], 'x')).toBe('2024-03-05T03:00:00Z');
    expect(latestIso([], '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00Z');
  });
});

describe('imageType', () => {
  it.each([
    [{ url: 'https://x.example/a.JPG', type: null }, 'image/jpeg'],
    [{ url: 'https://x.example/a.svg?x=1', type: null }, 'image/svg+xml'],
    [{ url: 'https://x.example/a.avif#frag', type: null }, 'image/avif'],
    // Neither the source, its server nor the URL tells: no guess (the RSS enclosure falls back on its own).
    [{ url: 'https://x.example/a', type: null }, null],
    [{ url: 'https://x.example/img/abc123?w=800', type: null }, null],
    [{ url: 'https://x.example/a.png', type: 'IMAGE/WEBP' }, 'image/webp'],
    [{ url: 'https://x.example/a.png', type: 'garbage' }, 'image/png'],
    [{ url: 'https://x.example/i', type: 'Image/PNG; charset=x' }, 'image/png'],
  ])('%j is %s', (image, expected) => {
    expect(imageType({ ...image, length: null })).toBe(expected);
  });
});
