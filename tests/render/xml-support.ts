/**
 * Strict XML checks for the render tests, using the real parsers that ship
 * with rss-parser: xml2js (strict mode) for well-formedness and sax with
 * namespace processing for a small element tree whose text is exactly what a
 * consumer would read (CDATA sections joined, entities decoded).
 */
import { createRequire } from 'node:module';
import { expect } from 'vitest';

// Neither package ships types; these describe the few members the tests use.
interface SaxAttribute {
  name: string;
  value: string;
  prefix: string;
  uri: string;
}
interface SaxTag {
  name: string;
  prefix: string;
  uri: string;
  attributes: Record<string, SaxAttribute>;
}
interface SaxParser {
  onerror: (error: Error) => void;
  onopentag: (tag: SaxTag) => void;
  onclosetag: (name: string) => void;
  ontext: (text: string) => void;
  oncdata: (text: string) => void;
  write(chunk: string): SaxParser;
  close(): SaxParser;
}
interface SaxModule {
  parser(strict: boolean, options: { xmlns: boolean; trim: boolean; normalize: boolean }): SaxParser;
}
interface Xml2jsModule {
  parseStringPromise(xml: string, options: { strict: boolean; xmlns: boolean }): Promise<unknown>;
}

const require = createRequire(import.meta.url);
const sax = require('sax') as SaxModule;
const xml2js = require('xml2js') as Xml2jsModule;

/** One parsed element: qualified name, namespace URI, attributes by qualified name, direct text. */
export interface XmlElement {
  name: string;
  uri: string;
  prefix: string;
  attrs: Record<string, string>;
  attrPrefixes: string[];
  children: XmlElement[];
  text: string;
}

/** Parses strictly with namespace checks (an unbound prefix throws) into an element tree. */
export function parseXml(xml: string): XmlElement {
  const parser = sax.parser(true, { xmlns: true, trim: false, normalize: false });
  const stack: XmlElement[] = [];
  const roots: XmlElement[] = [];
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (tag) => {
    const attrs: Record<string, string> = {};
    const attrPrefixes: string[] = [];
    for (const attribute of Object.values(tag.attributes)) {
      attrs[attribute.name] = attribute.value;
      attrPrefixes.push(attribute.prefix);
    }
    const node: XmlElement = { name: tag.name, uri: tag.uri, prefix: tag.prefix, attrs, attrPrefixes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  const addText = (text: string): void => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  };
  parser.ontext = addText;
  parser.oncdata = addText;
  parser.write(xml).close();
  expect(roots, 'exactly one root element').toHaveLength(1);
  const [root] = roots;
  if (!root) throw new Error('no root element');
  return root;
}

/** Characters XML 1.0 forbids (§2.2), lone surrogates included. */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Asserts `xml` is a well-formed XML 1.0 document: declaration first, no
 * forbidden characters (sax does not check those), xml2js strict parse, and a
 * namespace-checked parse with a single root.
 */
export async function expectWellFormed(xml: string): Promise<XmlElement> {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(FORBIDDEN.test(xml), 'no characters forbidden by XML 1.0').toBe(false);
  await expect(xml2js.parseStringPromise(xml, { strict: true, xmlns: true })).resolves.toBeTruthy();
  return parseXml(xml);
}

/** Direct children with a given qualified name. */
export function childrenNamed(node: XmlElement, name: string): XmlElement[] {
  return node.children.filter((child) => child.name === name);
}

/** The one direct child with a given qualified name; fails the test when missing. */
export function childNamed(node: XmlElement, name: string): XmlElement {
  const found = node.children.find((child) => child.name === name);
  if (!found) throw new Error(`<${node.name}> has no <${name}> child`);
  return found;
}

/** Namespace prefixes used by any element or attribute name in the tree. */
export function prefixesUsed(node: XmlElement, into: Set<string> = new Set()): Set<string> {
  if (node.prefix) into.add(node.prefix);
  for (const prefix of node.attrPrefixes) if (prefix && prefix !== 'xmlns' && prefix !== 'xml') into.add(prefix);
  for (const child of node.children) prefixesUsed(child, into);
  return into;
}

/** Prefixes declared with `xmlns:p` on an element. */
export function prefixesDeclared(node: XmlElement): Set<string> {
  return new Set(
    Object.keys(node.attrs)
      .filter((name) => name.startsWith('xmlns:'))
      .map((name) => name.slice('xmlns:'.length)),
  );
}
