/** Links of search-engine alert feeds are taken out of the engine's click redirector. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, guidKey, normalizeFeed, urlKey } from '../../src/normalize/index.js';
import { isRedirectorKey, unwrapRedirector } from '../../src/normalize/redirectors.js';
import { CORPUS } from '../corpus/lib/corpus.js';
import { runPipeline } from '../corpus/lib/pipeline.js';
import { makeContext, makeFeed, makeItem, makeSource } from './fixtures.js';

const ARTICLE = 'https://labnews.example.org/2026/11/new-model?id=7&lang=en';
const googleLink = (target: string): string =>
  `https://www.google.com/url?rct=j&sa=t&url=${encodeURIComponent(target)}&ct=ga&cd=CAIyHDQ5ZjM&usg=AOvVaw0abc`;

describe('unwrapRedirector', () => {
  it.each([
    ['Google Alerts', googleLink(ARTICLE), ARTICLE],
    ['a country site', `https://www.google.co.uk/url?sa=t&url=${encodeURIComponent(ARTICLE)}`, ARTICLE],
    ['the q parameter', `https://google.de/url?q=${encodeURIComponent(ARTICLE)}&sa=U`, ARTICLE],
    ['Bing News', `https://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=X&url=${encodeURIComponent(ARTICLE)}&c=1&mkt=en-us`, ARTICLE],
  ])('takes the article out of %s', (_what, link, expected) => {
    expect(unwrapRedirector(link)).toBe(expected);
  });

  it.each([
    ['an ordinary link', ARTICLE],
    ['another Google page', `https://www.google.com/search?q=${encodeURIComponent(ARTICLE)}`],
    ['a redirector without an address', 'https://www.google.com/url?sa=t&ct=ga'],
    ['a wrapped javascript: address', `https://www.google.com/url?url=${encodeURIComponent('javascript:alert(1)')}`],
    ['a wrapped relative address', 'https://www.google.com/url?url=%2Flocal%2Fpage'],
    ['a look-alike host', `https://www.google.com.evil.example/url?url=${encodeURIComponent(ARTICLE)}`],
    ['a path on another host', `https://news.example.com/url?url=${encodeURIComponent(ARTICLE)}`],
  ])('leaves %s as it is', (_what, link) => {
    expect(unwrapRedirector(link)).toBe(link);
  });
});

describe('normalizing an alerts feed', () => {
  const alerts = makeSource({ id: 'alerts', name: 'Alerts: OpenAI', site: 'https://www.google.com/alerts' });
  const context = makeContext({ source: alerts, feedUrl: 'https://www.google.com/alerts/feeds/1/2' });
  const feed = (link: string) =>
    makeFeed([makeItem({ guid: 'tag:google.com,2013:googlealerts/feed:1234', link })], {
      format: 'atom',
      link: 'https://www.google.com/alerts/feeds/1/2',
    });

  it("publishes the article's own address as its link and in its credit", () => {
    const [candidate] = normalizeFeed(feed(googleLink(ARTICLE)), context);
    expect(candidate!.article.url).toBe(ARTICLE);
    expect(candidate!.article.credit.originalUrl).toBe(ARTICLE);
  });

  it('keeps the item known by its guid, so an article stored under the redirector link keeps its id', () => {
    const [candidate] = normalizeFeed(feed(googleLink(ARTICLE)), context);
    expect(candidate!.aliasKeys).toContain(guidKey('alerts', 'tag:google.com,2013:googlealerts/feed:1234'));
  });

  it('gives the same article id to the alert and to the publisher feed that lists the same page', () => {
    const [fromAlert] = normalizeFeed(feed(googleLink(ARTICLE)), context);
    const [fromPublisher] = normalizeFeed(makeFeed([makeItem({ link: ARTICLE })]), makeContext());
    expect(fromAlert!.article.id).toBe(fromPublisher!.article.id);
  });
});

const GOOGLE_ALERTS_SAMPLE = path.join(CORPUS, 'feedjira/spec/sample_feeds/google_alerts_atom.xml');

describe.skipIf(!existsSync(GOOGLE_ALERTS_SAMPLE))('a real Google Alerts feed (skipped: ../shared/corpus not present)', () => {
  it("links every item to the publisher's page, keeping the item's guid as an alias", async () => {
    const result = await runPipeline(readFileSync(GOOGLE_ALERTS_SAMPLE), { feedUrl: 'https://www.google.com/alerts/feeds/1/2' });
    if (result.kind !== 'ok') throw new Error(`expected a feed, got ${result.kind}`);
    expect(result.candidates.length).toBeGreaterThan(1);
    for (const { article, aliasKeys } of result.candidates) {
      expect(new URL(article.url).hostname).not.toMatch(/google\./);
      expect(article.credit.originalUrl).toBe(article.url);
      expect(aliasKeys.some((key) => key.startsWith('guid:'))).toBe(true);
    }
  });
});

describe('an alert item without a guid', () => {
  const bingLink = `https://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=AB12&url=${encodeURIComponent(ARTICLE)}&c=1&mkt=en-us`;

  it('keeps the redirector link as an alias, so an item stored under it before is still known', () => {
    const [candidate] = normalizeFeed(makeFeed([makeItem({ guid: null, link: bingLink })]), makeContext());
    expect(candidate!.article.url).toBe(ARTICLE);
    expect(candidate!.aliasKeys[0]).toBe(urlKey(ARTICLE));
    expect(candidate!.aliasKeys).toContain(urlKey(canonicalizeUrl(bingLink)!));
  });

  it('has no such alias when its link was not wrapped', () => {
    const [candidate] = normalizeFeed(makeFeed([makeItem({ guid: null, link: ARTICLE })]), makeContext());
    expect(candidate!.aliasKeys).toEqual([urlKey(ARTICLE)]);
  });
});

describe('isRedirectorKey', () => {
  it.each([
    [urlKey(canonicalizeUrl(googleLink(ARTICLE))!), true],
    [urlKey(`https://www.bing.com/news/apiclick.aspx?ref=FexRss&url=${encodeURIComponent(ARTICLE)}`), true],
    [urlKey(ARTICLE), false],
    [urlKey('https://www.google.com/url?sa=t&ct=ga'), false],
    [guidKey('alerts', googleLink(ARTICLE)), false],
  ])('%s: %s', (key, expected) => {
    expect(isRedirectorKey(key)).toBe(expected);
  });
});
