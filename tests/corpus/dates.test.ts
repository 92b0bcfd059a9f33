/**
 * The date cases of feedparser's wellformed suite, read by byline's date
 * parser: each case states the instant its date element holds as a Python
 * time tuple (`… == (2003, 12, 31, 10, 14, 55, 2, 365, 0)`), and parseDate
 * must give that instant (UTC) for the element's text. Needs only the corpus,
 * not Python; skipped when the corpus is absent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/normalize/index.js';
import { corpusPath, corpusPresent } from './lib/corpus.js';

const ROOT = 'feedparser/tests/wellformed';
const DATE_ELEMENT = /<([\w:]*(?:date|Date|updated|modified|issued|created|published|expired|expirationDate|lastBuildDate|pubDate)[\w:]*)(?:\s[^>]*)?>([^<]+)<\/\1>/g;
const DATE_ATTRIBUTE = /\s(?:lastmod|date)="([^"]+)"/gi;
/** Periods (dcterms:valid "start=…; end=…") are not dates: byline does not read them. */
const NOT_A_DATE = /validity/;

interface DateCase {
  file: string;
  text: string;
  expected: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : name.endsWith('.xml') ? [full] : [];
  });
}

function dateCases(): DateCase[] {
  return walk(corpusPath(ROOT)).flatMap((full) => {
    const source = readFileSync(full, 'latin1');
    const stated = /\['\w+_parsed'\]\s*==\s*\((\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+)/.exec(source);
    const file = path.relative(corpusPath(ROOT), full);
    if (!stated || NOT_A_DATE.test(file)) return [];
    const body = source.slice(source.indexOf('-->') + 3);
    const texts = [...body.matchAll(DATE_ELEMENT)].map((match) => match[2] ?? '');
    texts.push(...[...body.matchAll(DATE_ATTRIBUTE)].map((match) => match[1] ?? ''));
    // With repeated elements feedparser keeps the last value, and the case states that one.
    const text = texts.at(-1);
    if (text === undefined) return [];
    const [year, month, day, hour, minute, second] = stated.slice(1).map(Number) as [number, number, number, number, number, number];
    return [{ file, text: text.trim(), expected: new Date(Date.UTC(year, month - 1, day, hour, minute, second)).toISOString() }];
  });
}

describe.skipIf(!corpusPresent())(`feedparser's wellformed date cases${corpusPresent() ? '' : ' (skipped: corpus not found)'}`, () => {
  const cases = corpusPresent() ? dateCases() : [];

  it('finds the date cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((entry) => [entry.file, entry] as const))('%s', (_file, entry) => {
    expect(parseDate(entry.text)?.toISOString(), entry.text).toBe(entry.expected);
  });
});
