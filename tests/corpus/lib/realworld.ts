/**
 * byline against Python feedparser on the captured real-world feeds of
 * realworld.tsv: item counts, links, titles and dates compared field by field.
 * byline's output is the normalized Article, whose URL is canonical (tracking
 * parameters removed), so feedparser's links are put through the same
 * canonicalizeUrl before they are compared. Titles are compared after folding
 * whitespace; when feedparser says its title is HTML, after reading it as text.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../../../src/model/index.js';
import { canonicalizeUrl, htmlToText } from '../../../src/normalize/index.js';
import { corpusPath, realWorldFeeds, runFeedparserTool, type RealWorldFeed } from './corpus.js';
import { runPipeline, type PipelineResult } from './pipeline.js';

/** One entry as feedparser_tool.py reports it. */
interface TheirEntry {
  title: string | null;
  titleType: string | null;
  link: string | null;
  id: string | null;
  published: string | null;
  updated: string | null;
}

interface TheirFeed {
  key: string;
  version: string;
  bozo: boolean;
  encoding: string | null;
  entries: TheirEntry[];
}

/** A field where byline and feedparser disagree. */
export interface Difference {
  feed: string;
  /** Which item: its position in feedparser's list (or byline's, for items only byline has), or `feed`. */
  item: string;
  field: 'count' | 'link' | 'title' | 'date';
  ours: string | null;
  theirs: string | null;
}

/** Per-feed comparison figures. */
export interface FeedComparison {
  file: string;
  site: string;
  ours: number;
  theirs: number;
  linksMatched: number;
  titlesMatched: number;
  datesMatched: number;
  /** Items breaking byline's own promises (empty title, non-http link, unsafe content); must stay empty. */
  violations: string[];
  error: string | null;
}

/** Everything one comparison run found. */
export interface RealWorldReport {
  feeds: FeedComparison[];
  differences: Difference[];
  totals: { ours: number; theirs: number; paired: number; linksMatched: number; titlesMatched: number; datesMatched: number };
}

/**
 * The URL both parsers are told the document came from (feedparser's
 * content-location), which relative links resolve against: the address it was
 * captured from when the corpus records it (index.md beside the sample feeds),
 * else a placeholder.
 */
export function corpusFeedUrl(file: string): string {
  const index = corpusPath(path.join(path.dirname(file), 'index.md'));
  const original = existsSync(index) ? /^original:\s*"([^"]+)"/m.exec(readFileSync(index, 'utf8'))?.[1] : undefined;
  return original ?? `https://corpus.invalid/${file}`;
}

function fold(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function theirTitle(entry: TheirEntry): string {
  return entry.titleType === 'text/html' ? htmlToText(entry.title ?? '') : fold(entry.title);
}

function theirLink(entry: TheirEntry, feedUrl: string): string | null {
  return entry.link ? canonicalizeUrl(entry.link, feedUrl) : null;
}

/** Date agreement to the second; feedparser reports none for dates it cannot read. */
function ourDate(article: Article): string | null {
  return article.dateFromSource ? article.published.slice(0, 19) + 'Z' : null;
}

/** Pairs our items with theirs: same canonical link first, then by position among the rest. */
function pairItems(ours: Article[], theirs: TheirEntry[], feedUrl: string): [number | null, number | null][] {
  const used = new Set<number>();
  const pairs: [number | null, number | null][] = [];
  const byLink = new Map<string, number[]>();
  theirs.forEach((entry, index) => {
    const link = theirLink(entry, feedUrl);
    if (link) byLink.set(link, [...(byLink.get(link) ?? []), index]);
  });
  const unpaired: number[] = [];
  ours.forEach((article, index) => {
    const match = byLink.get(article.url)?.find((candidate) => !used.has(candidate));
    if (match === undefined) unpaired.push(index);
    else {
      used.add(match);
      pairs.push([index, match]);
    }
  });
  const rest = theirs.map((_entry, index) => index).filter((index) => !used.has(index));
  for (const index of unpaired) {
    const match = rest.shift();
    if (match !== undefined) used.add(match);
    pairs.push([index, match ?? null]);
  }
  for (const index of rest) pairs.push([null, index]);
  return pairs;
}

/** byline's own promises for every article, whatever feedparser says. */
function violationsOf(article: Article, index: number): string[] {
  const problems: string[] = [];
  if (article.title.trim() === '') problems.push(`item ${index}: empty title`);
  if (!/^https?:\/\/[^/]/.test(article.url)) problems.push(`item ${index}: link ${article.url}`);
  if (Number.isNaN(Date.parse(article.published))) problems.push(`item ${index}: no date`);
  const html = article.contentHtml;
  if (/<(?:script|style|iframe|object|embed|form)\b/i.test(html) || /<[^>]*\s(?:on[a-z]+|style)\s*=/i.test(html)) {
    problems.push(`item ${index}: unsafe content`);
  }
  if (/<[a-z][^>]*\s(?:href|src)="(?!https?:\/\/|mailto:)/i.test(html)) problems.push(`item ${index}: relative or unsafe URL in content`);
  return problems;
}

function compareFeed(listed: RealWorldFeed, result: PipelineResult, theirs: TheirFeed, differences: Difference[]): FeedComparison {
  const feedUrl = corpusFeedUrl(listed.file);
  const comparison: FeedComparison = {
    file: listed.file,
    site: listed.site,
    ours: 0,
    theirs: theirs.entries.length,
    linksMatched: 0,
    titlesMatched: 0,
    datesMatched: 0,
    violations: [],
    error: null,
  };
  const add = (item: string, field: Difference['field'], ours: string | null, their: string | null): void => {
    differences.push({ feed: listed.file, item, field, ours, theirs: their });
  };
  if (result.kind !== 'ok') {
    comparison.error = result.kind === 'crash' ? `crash: ${String(result.error)}` : result.error.message;
    add('feed', 'count', '0', String(theirs.entries.length));
    return comparison;
  }
  const articles = result.candidates.map((candidate) => candidate.article);
  comparison.ours = articles.length;
  articles.forEach((article, index) => comparison.violations.push(...violationsOf(article, index)));
  if (articles.length !== theirs.entries.length) add('feed', 'count', String(articles.length), String(theirs.entries.length));

  for (const [ourIndex, theirIndex] of pairItems(articles, theirs.entries, feedUrl)) {
    // When one side has no items at all, the count row says everything.
    if (articles.length === 0 || theirs.entries.length === 0) break;
    const article = ourIndex === null ? null : articles[ourIndex];
    const entry = theirIndex === null ? null : theirs.entries[theirIndex];
    const item = theirIndex === null ? `ours:${ourIndex}` : String(theirIndex);
    const link = entry ? theirLink(entry, feedUrl) : null;
    if (article && entry && link === article.url) comparison.linksMatched++;
    else add(item, 'link', article?.url ?? null, entry ? link ?? entry.link : null);
    if (!article || !entry) continue;
    if (fold(article.title) === theirTitle(entry)) comparison.titlesMatched++;
    else add(item, 'title', article.title, entry.title);
    const ours = ourDate(article);
    const their = entry.published ?? entry.updated;
    if (ours === their) comparison.datesMatched++;
    else add(item, 'date', ours, their);
  }
  return comparison;
}

/** Runs feedparser once over every listed feed, then byline over each, and compares. */
export async function compareRealWorld(): Promise<RealWorldReport> {
  const listed = realWorldFeeds();
  const reference = runFeedparserTool<{ results: TheirFeed[] }>('realworld', {
    files: listed.map((feed) => ({ key: feed.file, path: corpusPath(feed.file), url: corpusFeedUrl(feed.file) })),
  });
  // byline reads every feed while Python is busy with the same files.
  const ours = new Map<string, PipelineResult>();
  for (const feed of listed) {
    ours.set(feed.file, await runPipeline(readFileSync(corpusPath(feed.file)), { feedUrl: corpusFeedUrl(feed.file) }));
  }
  const { results } = await reference;
  const differences: Difference[] = [];
  const feeds: FeedComparison[] = [];
  for (const feed of listed) {
    const theirs = results.find((result) => result.key === feed.file);
    const result = ours.get(feed.file);
    if (!theirs || !result) throw new Error(`no result for ${feed.file}`);
    feeds.push(compareFeed(feed, result, theirs, differences));
  }
  const sum = (pick: (feed: FeedComparison) => number): number => feeds.reduce((total, feed) => total + pick(feed), 0);
  return {
    feeds,
    differences,
    totals: {
      ours: sum((feed) => feed.ours),
      theirs: sum((feed) => feed.theirs),
      paired: sum((feed) => Math.min(feed.ours, feed.theirs)),
      linksMatched: sum((feed) => feed.linksMatched),
      titlesMatched: sum((feed) => feed.titlesMatched),
      datesMatched: sum((feed) => feed.datesMatched),
    },
  };
}

/** Stable identity of a difference, for matching computed ones with the committed explanations. */
export function differenceKey(difference: Difference): string {
  return JSON.stringify([difference.feed, difference.item, difference.field, difference.ours, difference.theirs]);
}
