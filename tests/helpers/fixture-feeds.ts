/**
 * The project's own fixture feeds, served by a fixture server, plus a config
 * folder pointing at them. Shared by the end-to-end and CLI tests.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { FixtureServer } from './fixture-server.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/feeds');

export const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/** A GBK feed that declares its charset only in the XML declaration (the HTTP header says nothing). */
export function gbkFeed(): Buffer {
  const xml = `<?xml version="1.0" encoding="GBK"?>
<rss version="2.0">
  <channel>
    <title>人工智能日报</title>
    <link>https://news.example.cn/</link>
    <description>中文人工智能新闻</description>
    <item>
      <title>大模型推理成本下降一半</title>
      <link>https://news.example.cn/a/1001.html</link>
      <guid isPermaLink="false">cn-1001</guid>
      <pubDate>Wed, 25 Nov 2026 10:00:00 +0800</pubDate>
      <description>&lt;p&gt;推理成本&lt;b&gt;下降&lt;/b&gt;。&lt;/p&gt;</description>
      <source url="https://www.gogoai.xin/feed">GogoAI News</source>
    </item>
  </channel>
</rss>`;
  return iconv.encode(xml, 'gbk');
}

export interface FixtureSource {
  id: string;
  name: string;
  path: string;
  site?: string;
  credit?: string;
  /** User info for the source's URL (`user:pass`), as a private feed is subscribed to. */
  auth?: string;
}

/** Serves `count` RSS feeds at `/feed<i>.xml` and returns them as sources `source-<i>`. */
export function routeFeeds(server: FixtureServer, count: number, feed: (i: number) => string): FixtureSource[] {
  return Array.from({ length: count }, (_, i) => {
    server.route(`/feed${i}.xml`, { body: feed(i), type: 'application/rss+xml' });
    return { id: `source-${i}`, name: `Source ${i}`, path: `/feed${i}.xml` };
  });
}

/** The healthy sources, each with name, site and credit line. */
export const GOOD_SOURCES: FixtureSource[] = [
  { id: 'lab', name: 'Frontier Lab', path: '/lab.xml', site: 'https://lab.example/news/', credit: 'Please credit Frontier Lab when republishing.' },
  { id: 'cloud', name: 'Cloud AI Blog', path: '/cloud.xml', site: 'https://cloud.example/blog/', credit: 'Please credit Cloud AI when republishing.' },
  { id: 'preprints', name: 'Preprints cs.AI', path: '/preprints.rdf', site: 'https://preprints.example/', credit: 'Please credit the authors.' },
  { id: 'press', name: 'AI Desk Daily', path: '/press.json', site: 'https://press.example/ai/', credit: 'Please credit AI Desk Daily when republishing.' },
  { id: 'cn', name: 'GogoAI 中文', path: '/cn.xml', site: 'https://news.example.cn/', credit: '转载请注明来源。' },
  { id: 'hostile', name: 'Hostile Blog', path: '/hostile.xml', site: 'https://hostile.example/' },
];

export const BROKEN_SOURCES: FixtureSource[] = [
  { id: 'missing', name: 'Missing Feed', path: '/missing.xml' },
  { id: 'html-page', name: 'Not A Feed', path: '/page.html' },
  { id: 'truncated', name: 'Truncated Feed', path: '/truncated.xml' },
];

/** Installs every fixture route on the server. */
export function serveFixtures(server: FixtureServer): void {
  server.route('/lab.xml', { body: fixture('lab-rss2.xml'), type: 'application/rss+xml; charset=utf-8' });
  server.route('/cloud.xml', { body: fixture('cloud-atom.xml'), type: 'application/atom+xml' });
  server.route('/preprints.rdf', { body: fixture('preprints-rss1.rdf'), type: 'application/rdf+xml' });
  server.route('/press.json', { body: fixture('press.json'), type: 'application/feed+json' });
  server.route('/cn.xml', { body: gbkFeed(), type: 'application/xml' });
  server.route('/hostile.xml', { body: fixture('hostile.xml'), type: 'application/rss+xml' });
  server.route('/page.html', { body: '<!doctype html><html><head><title>Hi</title></head><body>Not a feed</body></html>', type: 'text/html' });
  server.route('/truncated.xml', { body: fixture('lab-rss2.xml').slice(0, 300), type: 'application/rss+xml' });
}

/**
 * Writes a config folder for these sources; returns its path. `fetch` merges
 * into the fetch settings (private addresses allowed, 5 s timeout by default);
 * `settings` is appended to byline.yaml as YAML. Unless `settings` sets its
 * own, retention keeps items for a century: the fixture feeds carry fixed
 * dates of November 2026, which the default 90 days would drop as new items
 * once the tests run three months later.
 */
export function writeConfig(
  dir: string,
  server: FixtureServer,
  sources: FixtureSource[],
  settings = '',
  fetch: Record<string, number | boolean | string> = {},
): string {
  const feeds = path.join(dir, 'feeds');
  mkdirSync(feeds, { recursive: true });
  const fetchSettings = JSON.stringify({ allowPrivateAddresses: true, timeoutMs: 5000, ...fetch });
  const retention = /^retention:/m.test(settings) ? '' : 'retention: { maxAgeDays: 36500 }\n';
  writeFileSync(path.join(feeds, 'byline.yaml'), `title: Test Aggregate\nlink: https://byline.example/\nfetch: ${fetchSettings}\n${retention}${settings}`);
  const lines = sources.flatMap((source) => [
    `  - id: ${source.id}`,
    `    name: ${JSON.stringify(source.name)}`,
    `    url: ${source.auth ? server.url(source.path).replace('://', `://${source.auth}@`) : server.url(source.path)}`,
    ...(source.site ? [`    site: ${source.site}`] : []),
    ...(source.credit ? [`    credit: ${JSON.stringify(source.credit)}`] : []),
  ]);
  writeFileSync(path.join(feeds, 'sources.yaml'), `sources:\n${lines.join('\n')}\n`);
  return feeds;
}
