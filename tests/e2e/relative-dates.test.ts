/**
 * End to end, in process: a Chinese feed whose items carry relative dates,
 * fetched twice half an hour apart from a fixture HTTP server into a real
 * SQLite store. The same text names another instant at the second fetch; the
 * articles must stay the ones stored, with the dates first read, until the
 * site shows a closer date.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { renderOutputs } from '../../src/jobs/publish.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import type { Article } from '../../src/model/index.js';
import { useCycleContext } from '../helpers/cycle-context.js';
import { childNamed, childrenNamed, parseXml } from '../render/xml-support.js';

const fixtures = useCycleContext('byline-relative-');
/** The context the test at hand opened. */
let ctx: Context | null = null;

/** The feed as the site renders it at one moment: only the newest item's date text changes. */
function feed(newest: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>AI 快讯</title><link>https://news.example.cn/</link><description>d</description><language>zh-cn</language>
<item><title>新模型发布</title><link>https://news.example.cn/a/1.html</link><guid isPermaLink="false">cn-1</guid><pubDate>${newest}</pubDate><description>正文一</description></item>
<item><title>推理成本下降</title><link>https://news.example.cn/a/2.html</link><guid isPermaLink="false">cn-2</guid><pubDate>3小时前</pubDate><description>正文二</description></item>
<item><title>无链接快讯</title><pubDate>3小时前</pubDate><description>正文三</description></item>
</channel></rss>`;
}

async function cycleAt(iso: string) {
  const now = new Date(iso);
  const report = await runCycle({ sources: enabledSources(ctx!.config), deps: { ...ctx!.deps, now: () => now }, concurrency: 1, force: true });
  return report.outcomes[0]!;
}

async function stored(): Promise<Map<string, Article>> {
  const index = await ctx!.store.getIndex('cn');
  const articles = await ctx!.store.getArticles(index.map(({ id }) => ({ sourceId: 'cn', id })));
  return new Map([...articles.values()].map((article) => [article.title, article]));
}

describe('relative dates across fetches', () => {
  it('keeps one article per item, not updated, with the date first read, when 3小时前 is read again half an hour later', async () => {
    ctx = await fixtures.open([{ id: 'cn', name: '中文快讯', path: '/cn.xml', site: 'https://news.example.cn/' }]);

    fixtures.server.route('/cn.xml', { body: feed('刚刚'), type: 'application/rss+xml' });
    const first = await cycleAt('2026-11-26T02:20:00.000Z');
    expect([first.status, first.added, first.updated]).toEqual(['updated', 3, 0]);
    const before = await stored();
    expect(Object.fromEntries([...before].map(([title, a]) => [title, [a.published, a.dateFromSource]]))).toEqual({
      新模型发布: ['2026-11-26T02:20:00.000Z', true],
      推理成本下降: ['2026-11-25T23:20:00.000Z', true],
      无链接快讯: ['2026-11-25T23:20:00.000Z', true],
    });

    // Half an hour later the body differs (刚刚 became 30分钟前), so it is read again, not skipped as unchanged.
    fixtures.server.route('/cn.xml', { body: feed('30分钟前'), type: 'application/rss+xml' });
    const second = await cycleAt('2026-11-26T02:50:00.000Z');
    expect([second.status, second.added, second.updated]).toEqual(['updated', 0, 0]);
    expect(second.state.revision).toBe(first.state.revision);
    expect(fixtures.server.seen('/cn.xml')).toHaveLength(2);

    const after = await stored();
    expect(after.size).toBe(3);
    for (const [title, article] of before) {
      expect(after.get(title), title).toEqual(article);
    }
  });
});

/** One item, dated as the site shows it at one moment. */
function oneItem(date: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>AI 快讯</title><link>https://news.example.cn/</link><description>d</description><language>zh-cn</language>
<item><title>新模型发布</title><link>https://news.example.cn/a/1.html</link><guid isPermaLink="false">cn-1</guid><pubDate>${date}</pubDate><description>正文一</description></item>
</channel></rss>`;
}

/**
 * The published RSS items, as [guid, pubDate]. Every output is checked to
 * publish no margin, and the newsletter profile, which dates items by their
 * arrival, to show the same GUID at the first-seen time whatever the date.
 */
async function publishedItems(): Promise<string[][]> {
  const outputs = await renderOutputs(ctx!.config, ctx!.store);
  for (const text of [outputs.rss, outputs.atom, outputs.json, outputs.newsletter]) expect(text).not.toMatch(/margin/i);
  const rssItems = (rss: string) => childrenNamed(childNamed(parseXml(rss), 'channel'), 'item');
  const items = rssItems(outputs.rss).map((item) => [childNamed(item, 'guid').text, childNamed(item, 'pubDate').text]);
  const newsletter = rssItems(outputs.newsletter).map((item) => [childNamed(item, 'guid').text, childNamed(item, 'pubDate').text]);
  expect(newsletter).toEqual(items.map(([guid]) => [guid, 'Thu, 26 Nov 2026 04:00:00 +0000']));
  return items;
}

async function only(): Promise<Article> {
  const articles = [...(await stored()).values()];
  expect(articles).toHaveLength(1);
  return articles[0]!;
}

describe('a relative date that a later fetch shows more closely', () => {
  it('takes the full date the site shows later, in the store and the feed, with the same GUID, and keeps it over a relative date after it', async () => {
    ctx = await fixtures.open([{ id: 'cn', name: '中文快讯', path: '/cn.xml', site: 'https://news.example.cn/' }]);

    // 12:00 in China: 3小时前 reads as 09:00 China time, give or take an hour.
    fixtures.server.route('/cn.xml', { body: oneItem('3小时前'), type: 'application/rss+xml' });
    const first = await cycleAt('2026-11-26T04:00:00.000Z');
    expect([first.status, first.added, first.updated]).toEqual(['updated', 1, 0]);
    const rough = await only();
    expect([rough.published, rough.dateFromSource, rough.dateMargins]).toEqual(['2026-11-26T01:00:00.000Z', true, { published: 3_600_000 }]);
    const [[guid]] = (await publishedItems()) as [[string, string]];

    // An hour later the site prints the full date, 09:05 China time.
    fixtures.server.route('/cn.xml', { body: oneItem('2026-11-26 09:05'), type: 'application/rss+xml' });
    const second = await cycleAt('2026-11-26T05:00:00.000Z');
    expect([second.status, second.added, second.updated]).toEqual(['updated', 0, 1]);
    const { dateMargins: _rough, ...exact } = { ...rough, published: '2026-11-26T01:05:00.000Z' };
    expect(await only()).toStrictEqual(exact);
    expect(await publishedItems()).toEqual([[guid, 'Thu, 26 Nov 2026 01:05:00 +0000']]);

    // Later still the site shows a relative date again: the full date stays, and nothing is written.
    fixtures.server.route('/cn.xml', { body: oneItem('4小时前'), type: 'application/rss+xml' });
    const third = await cycleAt('2026-11-26T06:00:00.000Z');
    expect([third.status, third.added, third.updated]).toEqual(['updated', 0, 0]);
    expect(third.state.revision).toBe(second.state.revision);
    expect(await only()).toStrictEqual(exact);
    expect(await publishedItems()).toEqual([[guid, 'Thu, 26 Nov 2026 01:05:00 +0000']]);
  });

  it('takes 昨天 09:05 the next day over the 3小时前 first read, with the same GUID, then neither 11月26日 09:05 nor 4小时前 rewrites it', async () => {
    ctx = await fixtures.open([{ id: 'cn', name: '中文快讯', path: '/cn.xml', site: 'https://news.example.cn/' }]);

    fixtures.server.route('/cn.xml', { body: oneItem('3小时前'), type: 'application/rss+xml' });
    const first = await cycleAt('2026-11-26T04:00:00.000Z');
    expect([first.status, first.added, first.updated]).toEqual(['updated', 1, 0]);
    const rough = await only();
    expect(rough.published).toBe('2026-11-26T01:00:00.000Z');
    const [[guid]] = (await publishedItems()) as [[string, string]];

    // The next day the site shows the time of day: 09:05 China time, to the minute.
    fixtures.server.route('/cn.xml', { body: oneItem('昨天 09:05'), type: 'application/rss+xml' });
    const second = await cycleAt('2026-11-27T04:00:00.000Z');
    expect([second.status, second.added, second.updated]).toEqual(['updated', 0, 1]);
    const sharpened = { ...rough, published: '2026-11-26T01:05:00.000Z', dateMargins: { published: 60_000 } };
    expect(await only()).toStrictEqual(sharpened);
    expect(await publishedItems()).toEqual([[guid, 'Thu, 26 Nov 2026 01:05:00 +0000']]);

    // The same minute in another form, then a rougher reading (a cached page): nothing is written.
    for (const [date, at] of [
      ['11月26日 09:05', '2026-11-28T04:00:00.000Z'],
      ['4小时前', '2026-11-28T05:00:00.000Z'],
    ] as const) {
      fixtures.server.route('/cn.xml', { body: oneItem(date), type: 'application/rss+xml' });
      const later = await cycleAt(at);
      expect([later.status, later.added, later.updated], date).toEqual(['updated', 0, 0]);
      expect(later.state.revision, date).toBe(second.state.revision);
      expect(await only(), date).toStrictEqual(sharpened);
    }
    expect(await publishedItems()).toEqual([[guid, 'Thu, 26 Nov 2026 01:05:00 +0000']]);
  });
});
