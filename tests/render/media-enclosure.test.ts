/**
 * An article's audio/video file in every format: RSS's one `<enclosure>`
 * (the lead image then given by Media RSS only), Atom enclosure links and
 * JSON Feed attachments; articles without one render as before.
 */
import { describe, expect, it } from 'vitest';
import { renderAtom, renderJsonFeed, renderRss } from '../../src/render/index.js';
import { hasFeedparser, PYTHON, run } from '../interop/external-tools.js';
import { checkAtom } from './feed-rules-atom.js';
import { checkJsonFeed } from './feed-rules-json.js';
import { checkRss } from './feed-rules-rss.js';
import { makeArticle, makeMeta } from './fixtures.js';
import { childNamed, childrenNamed, expectWellFormed, type XmlElement } from './xml-support.js';

const EPISODE = { url: 'https://pod.example/audio/ep42.mp3?src=feed&v=2', type: 'audio/mpeg', length: 31_415_926 };
const COVER = { url: 'https://pod.example/ep42.jpg', type: 'image/jpeg', length: null };

const episode = () => makeArticle({ id: 'ep42', title: 'Episode 42', image: COVER, enclosure: EPISODE });
const videoOnly = () => makeArticle({ id: 'talk', title: 'A talk', enclosure: { url: 'https://pod.example/talk.mp4', type: 'video/mp4', length: null } });
const pictureOnly = () => makeArticle({ id: 'post', image: COVER });

async function rssItems(profile: 'feed' | 'newsletter' = 'feed'): Promise<XmlElement[]> {
  const rss = await expectWellFormed(renderRss(makeMeta(), [episode(), videoOnly(), pictureOnly()], profile));
  return childrenNamed(childNamed(rss, 'channel'), 'item');
}

describe('RSS: the audio/video file is the enclosure', () => {
  it.each(['feed', 'newsletter'] as const)('%s: one enclosure, the episode; the cover as media:content and media:thumbnail', async (profile) => {
    const [ep, talk, post] = await rssItems(profile);
    expect(childrenNamed(ep!, 'enclosure').map((e) => e.attrs)).toEqual([{ url: EPISODE.url, length: '31415926', type: 'audio/mpeg' }]);
    expect(childNamed(ep!, 'media:content').attrs).toEqual({ url: COVER.url, type: 'image/jpeg', medium: 'image' });
    expect(childNamed(ep!, 'media:thumbnail').attrs).toEqual({ url: COVER.url });
    // Unknown length: 0, as RSS asks.
    expect(childrenNamed(talk!, 'enclosure').map((e) => e.attrs)).toEqual([{ url: 'https://pod.example/talk.mp4', length: '0', type: 'video/mp4' }]);
    expect(childrenNamed(talk!, 'media:content')).toHaveLength(0);
    // Without a media file, nothing changes: the image is the enclosure and no thumbnail is added.
    expect(childrenNamed(post!, 'enclosure').map((e) => e.attrs)).toEqual([{ url: COVER.url, length: '0', type: 'image/jpeg' }]);
    expect(childrenNamed(post!, 'media:thumbnail')).toHaveLength(0);
  });

  it('passes the RSS rule checks', () => {
    const meta = makeMeta();
    expect(checkRss(renderRss(meta, [episode(), videoOnly(), pictureOnly()]), { selfUrl: meta.selfUrls.rss })).toEqual([]);
  });

  it('leaves out a stored enclosure whose URL is not http(s)', async () => {
    const article = makeArticle({ image: COVER, enclosure: { ...EPISODE, url: 'javascript:alert(1)' } });
    const rss = await expectWellFormed(renderRss(makeMeta(), [article]));
    const item = childNamed(childNamed(rss, 'channel'), 'item');
    expect(childrenNamed(item, 'enclosure').map((e) => e.attrs['url'])).toEqual([COVER.url]);
    expect(renderAtom(makeMeta(), [article])).not.toContain('javascript:');
    expect(renderJsonFeed(makeMeta(), [article])).not.toContain('javascript:');
  });
});

describe('Atom and JSON Feed: the audio/video file as enclosure link and attachment', () => {
  it('Atom: an enclosure link for the episode, before the cover\'s, and passes the Atom rule checks', async () => {
    const meta = makeMeta();
    const xml = renderAtom(meta, [episode(), videoOnly(), pictureOnly()]);
    expect(checkAtom(xml, { selfUrl: meta.selfUrls.atom })).toEqual([]);
    const entries = childrenNamed(await expectWellFormed(xml), 'entry');
    const enclosures = (entry: XmlElement) => childrenNamed(entry, 'link').filter((l) => l.attrs['rel'] === 'enclosure').map((l) => l.attrs);
    expect(enclosures(entries[0]!)).toEqual([
      { rel: 'enclosure', href: EPISODE.url, type: 'audio/mpeg', length: '31415926' },
      { rel: 'enclosure', href: COVER.url, type: 'image/jpeg' },
    ]);
    expect(enclosures(entries[1]!)).toEqual([{ rel: 'enclosure', href: 'https://pod.example/talk.mp4', type: 'video/mp4' }]);
    expect(enclosures(entries[2]!)).toEqual([{ rel: 'enclosure', href: COVER.url, type: 'image/jpeg' }]);
  });

  it('JSON Feed: attachments with url, mime_type and size_in_bytes; none without a media file; passes the rule checks', () => {
    const meta = makeMeta();
    const text = renderJsonFeed(meta, [episode(), videoOnly(), pictureOnly()]);
    expect(checkJsonFeed(text, { selfUrl: meta.selfUrls.json })).toEqual([]);
    const items = (JSON.parse(text) as { items: Array<Record<string, unknown>> }).items;
    expect(items[0]!['attachments']).toEqual([{ url: EPISODE.url, mime_type: 'audio/mpeg', size_in_bytes: 31_415_926 }]);
    expect(items[0]!['image']).toBe(COVER.url);
    expect(items[1]!['attachments']).toEqual([{ url: 'https://pod.example/talk.mp4', mime_type: 'video/mp4' }]);
    expect(items[2]).not.toHaveProperty('attachments');
  });
});

const READ_ENCLOSURES = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": bool(d.bozo), "enclosures": [[(x.get("href"), x.get("type"), x.get("length")) for x in e.get("enclosures", [])] for e in d.entries]}))
`;

describe.skipIf(!hasFeedparser)(`Python feedparser reads the episode${hasFeedparser ? '' : ' (skipped: /usr/bin/python3 has no feedparser)'}`, () => {
  async function enclosuresRead(xml: string): Promise<{ bozo: boolean; enclosures: Array<Array<[string, string, string | undefined]>> }> {
    // feedparser reads a string that starts with markup as the document itself.
    const result = await run(PYTHON, ['-c', READ_ENCLOSURES, xml]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { bozo: boolean; enclosures: Array<Array<[string, string, string | undefined]>> };
  }

  it('from RSS: the episode is the only enclosure', async () => {
    const read = await enclosuresRead(renderRss(makeMeta(), [episode()]));
    expect(read.bozo).toBe(false);
    expect(read.enclosures).toEqual([[[EPISODE.url, 'audio/mpeg', '31415926']]]);
  });

  it('from Atom: the episode is the first enclosure', async () => {
    const read = await enclosuresRead(renderAtom(makeMeta(), [episode()]));
    expect(read.bozo).toBe(false);
    expect(read.enclosures[0]![0]).toEqual([EPISODE.url, 'audio/mpeg', '31415926']);
  });
});
