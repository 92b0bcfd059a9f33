/** An item's audio/video file (podcast episode, video) kept in the article, from RawItems and from parsed documents. */
import { describe, expect, it } from 'vitest';
import { ArticleSchema, type RawEnclosure, type RawMedia } from '../../src/model/index.js';
import { normalizeFeed } from '../../src/normalize/index.js';
import { parseFeedText } from '../../src/parse/index.js';
import { renderJsonFeed, renderRss } from '../../src/render/index.js';
import { makeMeta } from '../render/fixtures.js';
import { makeContext, makeFeed, makeItem } from './fixtures.js';

function articleOf(enclosures: RawEnclosure[], media: RawMedia[] = [], base: string | null = null) {
  const [candidate] = normalizeFeed(makeFeed([makeItem({ enclosures, media, base })]), makeContext());
  return ArticleSchema.parse(candidate!.article);
}

const mp3 = (url: string, type: string | null = 'audio/mpeg', length: number | null = 12_345_678): RawEnclosure => ({ url, type, length });
const content = (url: string, medium: string | null, type: string | null = null): RawMedia => ({ url, type, medium, width: null, fileSize: null });

describe('normalize: the audio/video enclosure', () => {
  it('keeps a podcast episode: absolute URL, type and length', () => {
    expect(articleOf([mp3('https://cdn.example/ep/42.mp3')]).enclosure).toEqual({
      url: 'https://cdn.example/ep/42.mp3',
      type: 'audio/mpeg',
      length: 12_345_678,
    });
  });

  it('takes the first audio/video enclosure, passing over an image before it; the image stays the lead image', () => {
    const article = articleOf([
      { url: 'https://cdn.example/cover.jpg', type: 'image/jpeg', length: 100 },
      { url: 'https://cdn.example/ep.m4a', type: 'audio/x-m4a', length: 0 },
      mp3('https://cdn.example/ep.mp3'),
    ]);
    expect(article.enclosure).toEqual({ url: 'https://cdn.example/ep.m4a', type: 'audio/x-m4a', length: null });
    expect(article.image?.url).toBe('https://cdn.example/cover.jpg');
  });

  it('reads Media RSS audio and video by medium, type or extension when there is no enclosure', () => {
    expect(articleOf([], [content('https://cdn.example/pic.png', 'image'), content('https://cdn.example/talk', 'video')]).enclosure).toEqual({
      url: 'https://cdn.example/talk',
      type: 'video/mp4',
      length: null,
    });
    expect(articleOf([], [content('https://cdn.example/a.ogg', null)]).enclosure?.type).toBe('audio/ogg');
    expect(articleOf([], [content('https://cdn.example/a', null, 'video/webm; codecs="vp9"')]).enclosure?.type).toBe('video/webm');
  });

  it('types an untyped or octet-stream enclosure by its extension', () => {
    expect(articleOf([mp3('https://cdn.example/ep.mp3?x=1', null)]).enclosure?.type).toBe('audio/mpeg');
    expect(articleOf([mp3('https://cdn.example/ep.MP4', 'application/octet-stream')]).enclosure?.type).toBe('video/mp4');
  });

  it('keeps nothing for images, documents, Flash players and unknown files', () => {
    const article = articleOf(
      [{ url: 'https://cdn.example/paper.pdf', type: 'application/pdf', length: 10 }, mp3('https://cdn.example/file.bin', null)],
      [content('https://www.youtube.com/v/abc?version=3', null, 'application/x-shockwave-flash'), content('https://cdn.example/x.mp3', 'document')],
    );
    expect(article).not.toHaveProperty('enclosure');
  });

  it('resolves a relative URL against the item base and drops what is not http(s)', () => {
    expect(articleOf([mp3('ep/7.mp3')], [], 'https://pod.example/shows/').enclosure?.url).toBe('https://pod.example/shows/ep/7.mp3');
    expect(articleOf([mp3('javascript:alert(1)//.mp3'), mp3('data:audio/mpeg;base64,AAAA')]).enclosure).toBeUndefined();
    // A bad first file does not hide a good second one.
    expect(articleOf([mp3('javascript:alert(1)//.mp3'), mp3('https://cdn.example/ok.mp3')]).enclosure?.url).toBe('https://cdn.example/ok.mp3');
  });

  it('writes its keys in the order a stored article reads back in, so dedup finds an unchanged episode unchanged', () => {
    // Without the parse workers nothing reorders a fresh article, and dedup compares it with the stored one as JSON.
    const [candidate] = normalizeFeed(makeFeed([makeItem({ enclosures: [mp3('https://cdn.example/ep.mp3')] })]), makeContext());
    expect(Object.keys(candidate!.article)).toEqual(Object.keys(ArticleSchema.parse(candidate!.article)));
  });

  it('leaves an item without media exactly as articles were stored before the field (no key at all)', () => {
    expect(Object.keys(articleOf([]))).not.toContain('enclosure');
  });

  it('keeps the enclosure of a parsed podcast RSS item and a Media RSS video item', async () => {
    const raw = await parseFeedText(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>AI Podcast</title><link>https://pod.example/</link><description>d</description>
<item><title>Episode 1</title><link>https://pod.example/1</link><guid>ep-1</guid>
  <enclosure url="/audio/ep1.mp3" type="audio/mpeg" length="31415926"/><itunes:image href="https://pod.example/ep1.jpg"/></item>
<item><title>Talk</title><link>https://pod.example/2</link><guid>ep-2</guid>
  <media:group><media:content url="https://pod.example/talk.mp4" medium="video" type="video/mp4"/></media:group></item>
</channel></rss>`);
    const [episode, talk] = normalizeFeed(raw, makeContext({ feedUrl: 'https://pod.example/feed.xml' }));
    expect(episode!.article.enclosure).toEqual({ url: 'https://pod.example/audio/ep1.mp3', type: 'audio/mpeg', length: 31_415_926 });
    expect(episode!.article.image?.url).toBe('https://pod.example/ep1.jpg');
    expect(talk!.article.enclosure).toEqual({ url: 'https://pod.example/talk.mp4', type: 'video/mp4', length: null });
  });

  it('takes the length of a Media RSS episode and lead image from fileSize, and publishes it', async () => {
    const raw = await parseFeedText(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>AI Podcast</title><link>https://pod.example/</link><description>d</description>
<item><title>Episode 3</title><link>https://pod.example/3</link><guid>ep-3</guid>
  <media:content url="https://pod.example/ep3.mp3" type="audio/mpeg" fileSize="12345"/>
  <media:content url="https://pod.example/ep3.jpg" type="image/jpeg" medium="image" fileSize=" 2048 "/></item>
<item><title>Episode 4</title><link>https://pod.example/4</link><guid>ep-4</guid>
  <media:group><media:content url="https://pod.example/ep4.mp3" type="audio/mpeg" fileSize="12 MB"/></media:group></item>
</channel></rss>`);
    expect(raw.items.map((item) => item.media.map((media) => media.fileSize))).toEqual([[12345, 2048], [null]]);
    const candidates = normalizeFeed(raw, makeContext({ feedUrl: 'https://pod.example/feed.xml' }));
    const [three, four] = candidates.map((candidate) => ArticleSchema.parse(candidate.article));
    expect(three!.enclosure).toEqual({ url: 'https://pod.example/ep3.mp3', type: 'audio/mpeg', length: 12345 });
    expect(three!.image).toEqual({ url: 'https://pod.example/ep3.jpg', type: 'image/jpeg', length: 2048 });
    expect(four!.enclosure?.length).toBeNull();

    const rss = renderRss(makeMeta(), [three!]);
    expect(rss).toContain('<enclosure url="https://pod.example/ep3.mp3" length="12345" type="audio/mpeg"/>');
    const json = JSON.parse(renderJsonFeed(makeMeta(), [three!])) as { items: Array<{ attachments: unknown }> };
    expect(json.items[0]!.attachments).toEqual([{ url: 'https://pod.example/ep3.mp3', mime_type: 'audio/mpeg', size_in_bytes: 12345 }]);
  });

  it.each(['-5', '1.5', '1e4', '0x10', '', '99999999999999999999'])('reads fileSize="%s" as unknown', async (size) => {
    const raw = await parseFeedText(`<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title><link>https://pod.example/</link>
<item><title>E</title><guid>e</guid><media:content url="https://pod.example/e.mp3" fileSize="${size}"/></item></channel></rss>`);
    expect(raw.items[0]!.media[0]!.fileSize).toBeNull();
  });
});
