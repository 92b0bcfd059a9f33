/**
 * A source served through FeedBurner: every item links to
 * feedproxy.google.com and names the publisher's own address in
 * feedburner:origLink. Articles stored while byline still linked them to the
 * proxy keep their GUIDs and are not stored again once the original is read,
 * and the same article read from the publisher's own feed is not stored twice.
 */
import { describe, expect, it } from 'vitest';
import { enabledSources } from '../../src/config/index.js';
import { renderOutputs } from '../../src/jobs/publish.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { useCycleContext } from '../helpers/cycle-context.js';

const fixtures = useCycleContext('byline-feedburner-');

interface Story {
  slug: string;
  title: string;
  /** Whether the feed names the original address (FeedBurner's origLink). */
  original: boolean;
}

const proxied = (slug: string): string => `http://feedproxy.google.com/~r/pub/~3/${slug}X/${slug}.html`;
const original = (slug: string): string => `https://pub.example/2026/${slug}.html`;

function proxiedFeed(stories: Story[]): string {
  const items = stories.map(
    (story) => `<item><title>${story.title}</title><link>${proxied(story.slug)}</link><guid isPermaLink="false">pub-${story.slug}</guid>
      <pubDate>Wed, 25 Nov 2026 09:00:00 GMT</pubDate><description>About ${story.title}</description>
      ${story.original ? `<feedburner:origLink>${original(story.slug)}</feedburner:origLink>` : ''}</item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
    <title>Pub</title><link>https://pub.example/</link><description>d</description>${items.join('')}</channel></rss>`;
}

function directFeed(slug: string, title: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Digest</title><link>https://digest.example/</link><description>d</description>
    <item><title>${title}</title><link>${original(slug)}</link><guid isPermaLink="false">digest-${slug}</guid>
    <pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate><description>Digest of ${title}</description></item></channel></rss>`;
}

interface JsonItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
}

describe('a source served through FeedBurner', () => {
  it('links its articles to the publisher, keeping the GUIDs and adding no duplicate', async () => {
    const ctx = await fixtures.open([{ id: 'pub', name: 'Pub', path: '/pub.xml', site: 'https://pub.example/' }]);
    const items = async (): Promise<JsonItem[]> => JSON.parse((await renderOutputs(ctx.config, ctx.store)).json).items as JsonItem[];
    const cycle = async (): Promise<number> => {
      const report = await runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 4, force: true });
      expect(report.outcomes.every((outcome) => outcome.status !== 'failed')).toBe(true);
      return report.outcomes.reduce((sum, outcome) => sum + outcome.added, 0);
    };

    // Stored as byline stored such items before it read origLink: under the proxied link.
    fixtures.server.route('/pub.xml', { body: proxiedFeed([{ slug: 'a', title: 'Story A', original: false }]) });
    expect(await cycle()).toBe(1);
    const [stored] = await items();
    expect(stored?.url).toBe(proxied('a'));

    fixtures.server.route('/pub.xml', {
      body: proxiedFeed([
        { slug: 'b', title: 'Story B', original: true },
        { slug: 'a', title: 'Story A', original: true },
      ]),
    });
    expect(await cycle()).toBe(1);
    const after = await items();
    expect(after.map((item) => [item.title, item.url]).sort()).toEqual([
      ['Story A', original('a')],
      ['Story B', original('b')],
    ]);
    expect(after.find((item) => item.title === 'Story A')?.id).toBe(stored?.id);
    // The credit footer points to the publisher, not to the proxy.
    for (const item of after) expect(item.content_html).not.toContain('feedproxy.google.com');

    // The same article in a feed that links to the publisher directly is the one already stored.
    const both = await fixtures.open([
      { id: 'pub', name: 'Pub', path: '/pub.xml', site: 'https://pub.example/' },
      { id: 'digest', name: 'Digest', path: '/digest.xml', site: 'https://digest.example/' },
    ]);
    fixtures.server.route('/digest.xml', { body: directFeed('b', 'Story B, as the digest has it') });
    const first = await runCycle({ sources: enabledSources(both.config), deps: both.deps, concurrency: 1, force: true });
    expect(first.outcomes.reduce((sum, outcome) => sum + outcome.added, 0)).toBe(2);
    const urls = (JSON.parse((await renderOutputs(both.config, both.store)).json).items as JsonItem[]).map((item) => item.url);
    expect(urls.filter((url) => url === original('b'))).toHaveLength(1);
  });
});
