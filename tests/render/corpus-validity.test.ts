/**
 * Our outputs built from the real world: each feed listed in the shared
 * corpus's realworld.tsv is decoded, parsed and normalized by byline's own
 * stages, rendered in every format and profile, and run through the feed rule
 * checks. Real feeds bring what fixtures forget (odd dates, C1 controls, huge
 * CDATA HTML, `]]>` in code samples, relative links, strange languages).
 * Skipped when ../shared/corpus is not present.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceSchema, type Article } from '../../src/model/index.js';
import { htmlToText, normalizeFeed } from '../../src/normalize/index.js';
import { parseFeed } from '../../src/parse/index.js';
import { renderAtom, renderJsonFeed, renderRss } from '../../src/render/index.js';
import { checkAtom } from './feed-rules-atom.js';
import { checkJsonFeed } from './feed-rules-json.js';
import { checkRss } from './feed-rules-rss.js';
import { makeMeta } from './fixtures.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus');
const LISTING = path.join(CORPUS, 'realworld.tsv');
const present = existsSync(LISTING);

function listedFiles(): string[] {
  return readFileSync(LISTING, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t')[0] ?? '')
    .filter((file) => file !== '' && existsSync(path.join(CORPUS, file)));
}

async function articlesOf(file: string, index: number): Promise<Article[]> {
  const { feed } = await parseFeed(readFileSync(path.join(CORPUS, file)));
  const source = SourceSchema.parse({
    id: `corpus-${index}`,
    name: htmlToText(feed.title ?? '') || `Corpus feed ${index}`,
    url: `https://corpus.example/${index}/feed`,
    credit: 'Please credit the original publisher when republishing.',
  });
  const candidates = normalizeFeed(feed, { source, feedUrl: source.url, now: new Date('2026-11-25T12:00:00Z') });
  return candidates.map((candidate) => candidate.article);
}

describe.skipIf(!present)('outputs built from the real-world corpus pass the rule checks (skipped: ../shared/corpus absent)', () => {
  const files = present ? listedFiles() : [];

  it('has the corpus feeds to work on', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files.map((file, index) => [file, index] as const))('%s', async (file, index) => {
    const articles = await articlesOf(file, index);
    expect(articles.length, 'the feed yields articles to render').toBeGreaterThan(0);
    const meta = makeMeta({ hubUrl: 'https://hub.example/', stylesheetUrl: '/feed.xsl' });
    const newsletterMeta = { ...meta, selfUrls: { ...meta.selfUrls, rss: 'https://byline.example/newsletter.xml' } };
    const found = {
      rss: checkRss(renderRss(meta, articles), { selfUrl: meta.selfUrls.rss }),
      newsletter: checkRss(renderRss(newsletterMeta, articles, 'newsletter'), { selfUrl: newsletterMeta.selfUrls.rss }),
      atom: checkAtom(renderAtom(meta, articles), { selfUrl: meta.selfUrls.atom }),
      json: checkJsonFeed(renderJsonFeed(meta, articles), { selfUrl: meta.selfUrls.json }),
    };
    expect(found).toEqual({ rss: [], newsletter: [], atom: [], json: [] });
  });
});
