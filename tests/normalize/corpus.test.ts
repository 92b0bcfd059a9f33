/**
 * The date parser and sanitizer against the shared real-world feed corpus: every
 * date string in the 47 captured feeds must parse, and every CDATA HTML body
 * must sanitize to markup without active content. Values are pulled out with
 * simple patterns (parsing the XML is the parse stage's job, not this one's).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDate, sanitizeContent } from '../../src/normalize/index.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
const LIST = path.join(CORPUS, 'realworld.tsv');

function realWorldFeeds(): { file: string; text: string }[] {
  return readFileSync(LIST, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t')[0] ?? '')
    .filter((file) => file !== '' && existsSync(path.join(CORPUS, file)))
    // latin1 keeps every byte; date strings and markup delimiters are ASCII either way.
    .map((file) => ({ file, text: readFileSync(path.join(CORPUS, file), 'latin1') }));
}

describe.skipIf(!existsSync(LIST))('real-world corpus (skipped: ../shared/corpus not present)', () => {
  it('parses every date string of the captured feeds', () => {
    const failures: string[] = [];
    let count = 0;
    for (const { file, text } of realWorldFeeds()) {
      const xmlDates = text.matchAll(
        /<(?:pubDate|lastBuildDate|dc:date|published|updated|issued|modified|created|a10:updated)>\s*(?:<!\[CDATA\[)?([^<\]]{1,100})/g,
      );
      const jsonDates = text.matchAll(/"date_(?:published|modified)"\s*:\s*"([^"]{1,100})"/g);
      for (const match of [...xmlDates, ...jsonDates]) {
        count++;
        const date = parseDate(match[1]);
        if (!date || date.getUTCFullYear() < 1995 || date.getUTCFullYear() > 2030) failures.push(`${file}: ${match[1]}`);
      }
    }
    expect(count).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  });

  it('sanitizes every CDATA HTML body to inert markup', () => {
    let count = 0;
    for (const { text } of realWorldFeeds()) {
      for (const match of text.matchAll(/<(?:content:encoded|description|content|summary)[^>]*>\s*<!\[CDATA\[([\s\S]*?)\]\]>/g)) {
        const html = match[1] ?? '';
        if (!/<[a-z]/i.test(html)) continue;
        count++;
        const clean = sanitizeContent(html, 'https://example.com/article');
        expect(clean).not.toMatch(/<(script|iframe|style|form|object|embed|svg)\b/i);
        expect(clean).not.toMatch(/<[^>]*\s(on[a-z]+|style)\s*=/i);
        // Tag-scoped: code samples in the text legitimately show `&lt;a href="{{ .url }}"&gt;`.
        expect(clean).not.toMatch(/<[a-z][^>]*\s(?:href|src)="(?!https?:\/\/|mailto:)/i);
      }
    }
    expect(count).toBeGreaterThan(50);
  });
});
