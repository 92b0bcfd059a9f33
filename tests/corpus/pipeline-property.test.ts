/**
 * Property: whatever bytes arrive (random ones, or the project's own fixture
 * feeds mutated byte- and tag-wise: deleted, duplicated, truncated, garbage
 * inserted, re-encoded), decode + parse + normalize either yields articles or
 * throws a typed ParseError, and the articles always render to well-formed
 * RSS and Atom (strict sax, namespaces checked) and to valid JSON Feed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { renderAtom, renderJsonFeed, renderRss } from '../../src/render/index.js';
import { makeMeta } from '../render/fixtures.js';
import { runPipeline } from './lib/pipeline.js';
import { xmlError } from './lib/strict-xml.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SEED_DIRS = ['tests/fixtures/feeds', 'tests/parse/fixtures'];

/** The project's own fixture documents, read once (each property run copies before mutating). */
const SEEDS: readonly { name: string; bytes: Uint8Array }[] = SEED_DIRS.flatMap((dir) =>
  readdirSync(path.join(ROOT, dir))
    .sort()
    .map((name) => ({ name: `${dir}/${name}`, bytes: new Uint8Array(readFileSync(path.join(ROOT, dir, name))) })),
);

const FRAGMENTS = [
  '<item>', '</item>', '<entry>', '</entry>', '<channel>', '</rss>', '<![CDATA[', ']]>', '<!--', '-->', '&', '&amp;',
  '&nbsp;', '&#0;', '&#xD800;', '&bogus;', '<', '>', '"', "'", '\u0000', '\uFFFE', '<?xml version="1.0" encoding="gbk"?>',
  '<!DOCTYPE rss [<!ENTITY e "x">]>', '&e;', '<title>', '</title>', '<link>javascript:alert(1)</link>', 'xmlns:a="urn:a"',
  '<a:b>', '</a:b>', 'xml:base="../"', '中文', '🚀', '\uD800', '{"version":"https://jsonfeed.org/version/1.1"', '}',
];

type Mutation =
  | { kind: 'delete' | 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'reencode'; charset: string; bom: boolean }
  | { kind: 'tag'; action: 'drop' | 'double' | 'rename'; index: number; name: string };

const position = fc.integer({ min: 0, max: 1_000_000 });
const garbage = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 24 }),
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 4 }).map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'utf8'))),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: position, length: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: garbage }),
  fc.record({
    kind: fc.constant('reencode' as const),
    charset: fc.constantFrom('utf-16le', 'utf-16be', 'utf-32le', 'windows-1252', 'gbk', 'shift_jis', 'koi8-r', 'big5'),
    bom: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('tag' as const),
    action: fc.constantFrom('drop' as const, 'double' as const, 'rename' as const),
    index: fc.nat({ max: 200 }),
    name: fc.constantFrom('item', 'entry', 'channel', 'feed', 'title', 'x:y', 'content:encoded', 'html'),
  }),
);

const TAG = /<\/?[A-Za-z][^<>]*>/g;

/** Tag-level mutation on the text read as UTF-8 (or Latin-1 bytes kept as such). */
function mutateTag(bytes: Uint8Array, change: Extract<Mutation, { kind: 'tag' }>): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const tags = [...text.matchAll(TAG)];
  const tag = tags[change.index % Math.max(tags.length, 1)];
  if (!tag || tag.index === undefined) return bytes;
  const before = text.slice(0, tag.index);
  const after = text.slice(tag.index + tag[0].length);
  const replacement =
    change.action === 'drop' ? '' : change.action === 'double' ? tag[0] + tag[0] : tag[0].replace(/^(<\/?)[^\s/>]+/, `$1${change.name}`);
  return new Uint8Array(Buffer.from(before + replacement + after, 'latin1'));
}

function mutate(bytes: Uint8Array, change: Mutation): Uint8Array {
  const at = 'at' in change ? change.at % (bytes.length + 1) : 0;
  switch (change.kind) {
    case 'delete':
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + change.length)]);
    case 'duplicate':
      return Uint8Array.from([...bytes.subarray(0, at + change.length), ...bytes.subarray(at)]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'insert':
      return Uint8Array.from([...bytes.subarray(0, at), ...change.bytes, ...bytes.subarray(at)]);
    case 'reencode': {
      // The declaration is left as it was: a re-encoded document usually still claims its old charset.
      const encoded = iconv.encode(Buffer.from(bytes).toString('utf8'), change.charset, { addBOM: change.bom });
      return new Uint8Array(encoded);
    }
    case 'tag':
      return mutateTag(bytes, change);
  }
}

const META = makeMeta({
  title: 'Property test',
  description: 'Every mutated document must still render.',
  language: null,
  updated: '2030-01-01T00:00:00.000Z',
});

/** How many documents rendered at least one article: the property says little if mutations only ever break the feed. */
const rendered = { documents: 0, withArticles: 0 };

/** Runs one document through the pipeline and the renderers; returns what went wrong, or null. */
async function problemWith(bytes: Uint8Array, contentType: string | null): Promise<string | null> {
  const result = await runPipeline(bytes, { feedUrl: 'https://source.example/feed.xml', contentType });
  rendered.documents++;
  if (result.kind === 'crash') return `pipeline threw ${String(result.error)}`;
  if (result.kind === 'parse_error') return null;
  const articles = result.candidates.map((candidate) => candidate.article);
  if (articles.length > 0) rendered.withArticles++;
  const rssError = xmlError(renderRss(META, articles));
  if (rssError) return `RSS is not well-formed: ${rssError}`;
  const atomError = xmlError(renderAtom(META, articles));
  if (atomError) return `Atom is not well-formed: ${atomError}`;
  const json = JSON.parse(renderJsonFeed(META, articles)) as { items?: unknown[] };
  if (json.items?.length !== articles.length) return 'JSON Feed lost items';
  return null;
}

const contentType = fc.constantFrom(null, 'application/rss+xml', 'text/xml; charset=utf-8', 'application/json', 'text/html; charset=gbk');

describe('decode + parse + normalize + render on hostile input', () => {
  it('has seed documents to mutate', () => {
    expect(SEEDS.length).toBeGreaterThanOrEqual(10);
  });

  it('every seed document itself reads and renders', async () => {
    for (const seed of SEEDS) expect(await problemWith(seed.bytes, null), seed.name).toBeNull();
  });

  it('mutated fixture feeds never throw anything but ParseError and always render well-formed', async () => {
    rendered.documents = 0;
    rendered.withArticles = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        contentType,
        async (seed, changes, type) => {
          const bytes = changes.reduce(mutate, Uint8Array.from(seed.bytes));
          expect(await problemWith(bytes, type)).toBeNull();
        },
      ),
      { numRuns: 400 },
    );
    // Plenty of mutated documents still hold articles (the fixtures are short, so a cut often leaves none):
    // the renderers were really exercised.
    expect(rendered.withArticles).toBeGreaterThan(rendered.documents / 10);
  });

  it('random bytes and random text never throw anything but ParseError', async () => {
    const document = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.string({ unit: 'binary', maxLength: 300 }).map((text) => new Uint8Array(Buffer.from(`<rss><channel><item>${text}</item></channel></rss>`, 'utf8'))),
      fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'utf8'))),
    );
    await fc.assert(
      fc.asyncProperty(document, contentType, async (bytes, type) => {
        expect(await problemWith(bytes, type)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
