/**
 * The rule checks themselves, against the W3C feed validator's own test
 * cases (../shared/corpus/w3c-feedvalidator/testcases): where a case says the
 * validator reports an error class our checks cover, our checks must report
 * it too; where it says the validator accepts a value (Valid… or !Class), our
 * checks must not flag that rule. This is what lets the other tests trust a
 * clean result. Skipped when the corpus is not there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAbsoluteIri } from './feed-rules-common.js';
import { checkAtom } from './feed-rules-atom.js';
import { checkRss } from './feed-rules-rss.js';

const CASES = path.resolve(import.meta.dirname, '../../../shared/corpus/w3c-feedvalidator/testcases');
const present = existsSync(CASES);

/** Validator event classes our checks cover, and the words our report uses for each. */
const RULE_WORDS: Readonly<Record<string, RegExp>> = {
  DuplicateElement: /appears \d+ times/,
  MissingElement: /is missing|no author/,
  MissingTitle: /is missing/,
  MissingLink: /is missing/,
  MissingDescription: /is missing/,
  InvalidRFC2822Date: /not an RFC 822 date/,
  ValidRFC2822Date: /not an RFC 822 date/,
  InvalidRFC3339Date: /not an RFC 3339 date/,
  ValidW3CDTFDate: /not an RFC 3339 date/,
  MissingAttribute: /no url|enclosure (url|length|type)/,
  InvalidIntegerAttribute: /length/,
  InvalidNonNegativeInteger: /length/,
  InvalidMIMEAttribute: /MIME/,
  InvalidURLAttribute: /url is missing or not a full URL/,
  ValidURLAttribute: /url is missing or not a full URL/,
  InvalidHttpGUID: /guid/,
  ValidHttpGUID: /guid/,
  InvalidPermalink: /permalink/,
  DuplicateValue: /not unique/,
  DuplicateEntries: /not unique/,
  InvalidLanguage: /language/,
  ValidLanguage: /language/,
  InvalidFullLink: /not a full URL/,
  InvalidBooleanAttribute: /isPermaLink/,
  ValidBooleanAttribute: /isPermaLink/,
  UnexpectedAttribute: /unexpected attribute/,
  ContainsHTML: /contains HTML/,
  ItemMustContainTitleOrDescription: /neither title nor description/,
  MissingSelf: /rel="self"/,
  DuplicateAtomLink: /two alternate links/,
  FeedHistoryRelInEntry: /feed history rel/,
  MissingCurrentInArchive: /rel="current"/,
  MissingContentOrAlternate: /neither content nor an alternate/,
};

const FOLDERS = [
  'rss20/element-channel',
  'rss20/element-channel-item',
  'rss20/element-channel-item-guid',
  'rss20/element-channel-item-enclosure',
  'rss20/element-channel-item-source',
  'rss20/element-channel-language',
  'rss20/data-types-datetime',
  'rss20/namespace-elements-atom-link',
  'atom/3.3',
  'atom/4.1.1',
  'atom/4.1.2',
  'ext/fh',
];

/** Cases left out, with the reason. */
const EXCLUDED: Readonly<Record<string, string>> = {
  // It mixes dates the validator only calls problematical (two-digit years,
  // military zones, odd offsets); our checks hold byline's output to RFC 2822.
  'rss20/data-types-datetime/everything.xml': 'stricter on purpose',
};

interface Case {
  file: string;
  negated: boolean;
  event: string;
  words: RegExp;
}

function casesIn(folder: string): Case[] {
  const dir = path.join(CASES, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.xml'))
    .flatMap((name) => {
      const text = readFileSync(path.join(dir, name), 'utf8');
      const match = /Expect:\s*(!?)(\w+)/.exec(text);
      const words = match ? RULE_WORDS[match[2]!] : undefined;
      return match && words && !(`${folder}/${name}` in EXCLUDED) ? [{ file: `${folder}/${name}`, negated: match[1] === '!', event: match[2]!, words }] : [];
    });
}

function violationsOf(file: string, event: string): string[] {
  const xml = readFileSync(path.join(CASES, file), 'utf8');
  // Only the cases about a missing self link are held to having one.
  const selfUrl = event === 'MissingSelf' ? 'any' : null;
  const isAtom = /<feed\b/.test(xml);
  return isAtom ? checkAtom(xml, { selfUrl, requireDeclaration: false }) : checkRss(xml, { selfUrl, requireDeclaration: false });
}

describe.skipIf(!present)('rule checks agree with the W3C feed validator test cases (skipped: ../shared/corpus absent)', () => {
  const cases = FOLDERS.flatMap(casesIn);

  it('covers a real number of cases', () => {
    expect(cases.length).toBeGreaterThan(120);
  });

  it.each(cases.filter((c) => !c.event.startsWith('Valid') && !c.negated).map((c) => [c.file, c.event, c] as const))(
    '%s: reports %s',
    (_file, _event, c) => {
      const found = violationsOf(c.file, c.event);
      expect(found.some((line) => c.words.test(line)), found.join('\n')).toBe(true);
    },
  );

  it.each(cases.filter((c) => c.event.startsWith('Valid') || c.negated).map((c) => [c.file, c.event, c] as const))(
    '%s: accepts what %s says is fine',
    (_file, _event, c) => {
      expect(violationsOf(c.file, c.event).filter((line) => c.words.test(line))).toEqual([]);
    },
  );

  it('judges tag: ids as the validator does (atom/must/*_id_tag*)', () => {
    const dir = path.join(CASES, 'atom/must');
    const rows = readdirSync(dir)
      .filter((name) => /^(entry|feed)_id_tag/.test(name))
      .map((name) => {
        const text = readFileSync(path.join(dir, name), 'utf8');
        const expect = /Expect:\s*(\w+)/.exec(text)?.[1];
        const ids = [...text.matchAll(/<id>([^<]*)<\/id>/g)].map((m) => m[1]!);
        const id = name.startsWith('entry') ? ids.at(-1) : ids[0];
        return { name, valid: expect === 'ValidTAG', id: id ?? '' };
      });
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.filter((row) => isAbsoluteIri(row.id) !== row.valid)).toEqual([]);
  });
});
