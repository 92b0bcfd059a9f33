/**
 * End to end, in process: a Chinese feed whose items carry relative dates,
 * fetched twice half an hour apart from a fixture HTTP server into a real
 * SQLite store. The same text names another instant at the second fetch; the
 * articles must stay the ones stored, with the dates first read.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import type { Article } from '../../src/model/index.js';
import { useCycleContext } from '../helpers/cycle-context.js';

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
