/** RSS 2.0, 0.91 and 1.0 (RDF) documents -> RawFeed. */
import { describe, expect, it } from 'vitest';
import { normalizeFeed } from '../../src/normalize/index.js';
import { parseFixture, parseText, rss } from './helpers.js';

describe('RSS 2.0 with the common extensions (rss2-full.xml)', () => {
  it('reads the channel: title, link, atom:link self under a non-standard prefix, language, ttl', async () => {
    const feed = await parseFixture('rss2-full.xml');
    expect(feed).toMatchObject({
      format: 'rss2',
      title: 'Model Weights Weekly',
      link: 'https://weights.example/',
      selfUrl: 'https://weights.example/feed.xml',
      description: 'News about <em>open</em> models.',
      language: 'en-GB',
      ttlMinutes: 45,
      base: null,
    });
    expect(feed.items).toHaveLength(2);
  });

  it('keeps every item field as found, trimmed, with nulls for what is absent', async () => {
    const [item] = (await parseFixture('rss2-full.xml')).items;
    expect(item).toMatchObject({
      guid: 'weights-2024-0042',
      guidIsPermaLink: false,
      title: 'Small models, big <b>gains</b>',
      link: 'https://weights.example/posts/small-models',
      published: 'Tue, 02 Jan 2024 09:30:00 +0000',
      updated: null,
      authors: ['Ada Example', 'Grace Example'],
      summary: '<p>A short <b>teaser</b>.</p>',
      content: '<p>The full text with an <img src="/img/chart.png" alt="chart"> chart.</p>',
      categories: ['Research', 'Open Source'],
      upstream: null,
    });
  });

  it('keeps all enclosures and all media:content (direct and in media:group, under any prefix)', async () => {
    const [item] = (await parseFixture('rss2-full.xml')).items;
    expect(item?.enclosures).toEqual([
      { url: 'https://weights.example/audio/ep42.mp3', type: 'audio/mpeg', length: 123456 },
      { url: 'https://weights.example/papers/ep42.pdf', type: 'application/pdf', length: null },
    ]);
    expect(item?.media).toEqual([
      { url: 'https://weights.example/img/hero.jpg', type: 'image/jpeg', medium: 'image', width: 1200, fileSize: null },
      { url: 'https://weights.example/video/ep42.mp4', type: 'video/mp4', medium: 'video', width: null, fileSize: null },
    ]);
    expect(item?.thumbnail).toBe('https://weights.example/img/thumb.jpg');
  });

  it('keeps unescaped inline HTML in document order (xml2js alone would scatter it)', async () => {
    const item = (await parseFixture('rss2-full.xml')).items[1];
    expect(item?.summary).toBe(
      'Inline <a href="https://weights.example/a">markup</a> that was <em>not</em> escaped, then text.',
    );
    expect(item).toMatchObject({ title: null, link: null, guidIsPermaLink: null, authors: ['editor@weights.example (Eve Editor)'] });
  });
});

describe('RSS <source url>: the upstream of an aggregated item', () => {
  it('names the upstream feed on the item that has one, null on the others', async () => {
    const feed = await parseFixture('rss2-aggregator.xml');
    expect(feed.items.map((item) => item.upstream)).toEqual([
      { title: 'Lab Newsroom', url: null, feedUrl: 'https://lab.example/feed.rss' },
      null,
    ]);
  });
});

describe('RSS 0.91 (rss091.xml)', () => {
  it('is rss09, decodes its Latin-1 declaration and the DTD entities, and keeps every item', async () => {
    const feed = await parseFixture('rss091.xml');
    expect(feed.format).toBe('rss09');
    expect(feed.title).toBe('Legacy\u00a0Lab \u2014 News');
    expect(feed.description).toBe('Since 1999 \u00a9 Legacy Lab');
    expect(feed.items.map((item) => item.link)).toEqual([
      'https://legacy.example/perceptrons',
      'https://legacy.example/expert-systems',
    ]);
    expect(feed.items[0]?.summary).toBe('An old idea\u2026 again.');
  });
});

describe('RSS 1.0 / RDF (rss1-rdf.xml)', () => {
  it('reads items outside the channel, dc:date, dc:creator, dc:subject and rdf:about', async () => {
    const feed = await parseFixture('rss1-rdf.xml');
    expect(feed).toMatchObject({ format: 'rss1', title: 'RDF Research Notes', language: 'de', link: 'https://rdf.example/' });
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      guid: 'https://rdf.example/papers/1',
      published: '2024-04-01T10:00:00+02:00',
      authors: ['Researcher One'],
      categories: ['transformers'],
      summary: 'A paper about attention.',
    });
    expect(feed.items[1]?.published).toBe('2024-04-02T11:00:00+02:00');
  });

  it('turns syn:updatePeriod/updateFrequency (any prefix) into minutes', async () => {
    expect((await parseFixture('rss1-rdf.xml')).ttlMinutes).toBe(15);
  });
});

describe('update interval', () => {
  const sy = ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"';
  it.each([
    ['<ttl>30</ttl>', 30],
    ['<ttl>0</ttl>', null],
    ['<ttl>soon</ttl>', null],
    ['<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>', 720],
    ['<sy:updatePeriod>weekly</sy:updatePeriod>', 10080],
    ['<sy:updateFrequency>4</sy:updateFrequency>', 360],
    ['<sy:updatePeriod>fortnightly</sy:updatePeriod>', null],
    ['', null],
  ])('%s -> %s minutes', async (extra, minutes) => {
    expect((await parseText(rss('', extra, sy))).ttlMinutes).toBe(minutes);
  });
});

describe('skipHours and skipDays', () => {
  it('reads the hours (24 is midnight, as RSS 0.91 counted) and days, sorted, each once, dropping what is unreadable', async () => {
    const feed = await parseText(
      rss(
        '',
        '<skipHours><hour> 23 </hour><hour>24</hour><hour>3</hour><hour>3</hour><hour>25</hour><hour>noon</hour><hour>-1</hour></skipHours>' +
          '<skipDays><day>Saturday</day><day>sunday</day><day> MONDAY </day><day>Caturday</day><day>Saturday</day></skipDays>',
      ),
    );
    expect(feed.skipHours).toEqual([0, 3, 23]);
    expect(feed.skipDays).toEqual([0, 1, 6]);
  });

  it('is empty without the elements, and for Atom', async () => {
    const feed = await parseText(rss('', '<ttl>30</ttl>'));
    expect(feed).toMatchObject({ skipHours: [], skipDays: [] });
    const atom = await parseText('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><skipHours><hour>1</hour></skipHours></feed>');
    expect(atom).toMatchObject({ format: 'atom', skipHours: [], skipDays: [] });
  });
});

describe('RSS details', () => {
  it('resolves nested xml:base on root and item (NASA-style) into the item base', async () => {
    const feed = await parseText(
      rss('<item xml:base="gallery/"><title>a</title><link>one.html</link></item><item><title>b</title></item>', '', ' xml:base="https://nasa.example/"'),
    );
    expect(feed.base).toBe('https://nasa.example/');
    expect(feed.items.map((item) => item.base)).toEqual(['https://nasa.example/gallery/', 'https://nasa.example/']);
    expect(feed.items[0]?.link).toBe('one.html');
  });

  it('does not take an Atom link in the default namespace for the channel link', async () => {
    const feed = await parseText(
      rss('', '<link xmlns="http://www.w3.org/2005/Atom" rel="self" href="https://x.example/feed"/><link>https://x.example/</link>'),
    );
    expect(feed).toMatchObject({ link: 'https://x.example/', selfUrl: 'https://x.example/feed' });
  });

  it('uses itunes:image as the thumbnail when there is no media:thumbnail, and itunes:author as a last resort', async () => {
    const ns = ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"';
    const feed = await parseText(
      rss('<item><title>ep</title><itunes:image href="https://pod.example/ep.jpg"/><itunes:author>Host</itunes:author></item>', '', ns),
    );
    expect(feed.items[0]).toMatchObject({ thumbnail: 'https://pod.example/ep.jpg', authors: ['Host'] });
  });

  it('reads an Atom person construct as the author, as .NET writes it (a10:author)', async () => {
    const feed = await parseText(
      rss(
        '<item><title>t</title><a10:author><a10:name>John Doe</a10:name><a10:email>john@example.com</a10:email></a10:author></item>' +
          '<item><title>u</title><a10:author><a10:email>jane@example.com</a10:email></a10:author></item>',
        '',
        ' xmlns:a10="http://www.w3.org/2005/Atom"',
      ),
    );
    expect(feed.items.map((item) => item.authors)).toEqual([['John Doe'], ['jane@example.com']]);
  });

  it('takes itunes:summary as the summary of an episode that has no description', async () => {
    const ns = ' xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"';
    const episode = (inner: string) => `<item><title>ep</title><guid>ep-1</guid>${inner}</item>`;
    const feed = await parseText(
      rss(
        episode('<itunes:subtitle>Spices</itunes:subtitle><itunes:summary>This week: salt &amp; pepper.</itunes:summary>') +
          episode('<description>The description</description><itunes:summary>The iTunes summary</itunes:summary>'),
        '',
        ns,
      ),
    );
    expect(feed.items.map((item) => item.summary)).toEqual(['This week: salt & pepper.', 'The description']);
    const [article] = normalizeFeed(feed, {
      source: { id: 'pod', name: 'Pod', url: 'https://pod.example/feed.xml', enabled: true },
      feedUrl: 'https://pod.example/feed.xml',
      now: new Date('2026-06-01T00:00:00Z'),
    }).map((candidate) => candidate.article);
    expect(article).toMatchObject({ summary: 'This week: salt & pepper.', contentHtml: '<p>This week: salt &amp; pepper.</p>' });
  });

  it('reads guid isPermaLink="true" and a missing attribute as null', async () => {
    const feed = await parseText(
      rss('<item><guid isPermaLink="true">https://a.example/1</guid></item><item><guid>https://a.example/2</guid></item>'),
    );
    expect(feed.items.map((item) => [item.guid, item.guidIsPermaLink])).toEqual([
      ['https://a.example/1', true],
      ['https://a.example/2', null],
    ]);
  });

  it('treats <rss> without a version as RSS 2.0 and an empty <rss> as an empty feed', async () => {
    expect((await parseText('<rss><channel><item><title>x</title></item></channel></rss>')).items).toHaveLength(1);
    const empty = await parseText('<rss version="2.0">\n</rss>');
    expect(empty).toMatchObject({ format: 'rss2', items: [] });
  });

  it('keeps items whose dates are not dates (the raw string goes to normalize)', async () => {
    const feed = await parseText(rss('<item><title>x</title><pubDate>last Tuesday</pubDate></item>'));
    expect(feed.items[0]?.published).toBe('last Tuesday');
  });
});

describe('RSS titles: markup or text', () => {
  // RSS does not say whether a title is HTML; what reads as a tag of HTML is markup, anything else in angle brackets is text.
  it.each([
    ['The &lt;think&gt; token in DeepSeek-R1', 'The <think> token in DeepSeek-R1'],
    ['Rust Vec&lt;T&gt; vs Box&lt;T&gt;', 'Rust Vec<T> vs Box<T>'],
    ['if a&lt;b then', 'if a<b then'],
    ['AT&amp;T &amp; friends', 'AT&T & friends'],
    ['&lt;b&gt;Bold&lt;/b&gt; news', 'Bold news'],
    ['&lt;script&gt;alert(1)&lt;/script&gt;Totally normal post', 'Totally normal post'],
    ['Tom &amp;amp; Jerry', 'Tom & Jerry'],
    ['<![CDATA[<em>New</em> model]]>', 'New model'],
  ])('%s reads as %j', async (title, text) => {
    const feed = await parseText(rss(`<item><title>${title}</title><link>https://x.example/1</link></item>`));
    const [candidate] = normalizeFeed(feed, { source: { id: 'x', name: 'X', url: 'https://x.example/feed', enabled: true }, feedUrl: 'https://x.example/feed', now: new Date('2026-11-27T00:00:00Z') });
    expect(candidate?.article.title).toBe(text);
  });
});
