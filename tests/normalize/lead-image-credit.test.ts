/** Lead image choice and the credit every article carries. */
import { describe, expect, it } from 'vitest';
import { buildCredit, pickLeadImage, sanitizeContentAndText } from '../../src/normalize/index.js';
import { makeItem, makeSource } from './fixtures.js';

const BASE = 'https://news.example.com/posts/1';

describe('pickLeadImage', () => {
  it('prefers the widest image media:content', () => {
    const item = makeItem({
      media: [
        { url: '/small.jpg', type: 'image/jpeg', medium: null, width: 300, fileSize: null },
        { url: '/video.mp4', type: 'video/mp4', medium: 'video', width: 4000, fileSize: null },
        { url: '/large.jpg', type: null, medium: 'image', width: 1200, fileSize: null },
      ],
      enclosures: [{ url: '/enc.jpg', type: 'image/jpeg', length: 1000 }],
      thumbnail: '/thumb.jpg',
    });
    expect(pickLeadImage(item, '<img src="https://x.example/c.jpg" />', BASE)).toEqual({
      url: 'https://news.example.com/large.jpg',
      type: 'image/jpeg',
      length: null,
    });
  });

  it('passes over a media:content declared a pixel or icon wide, and an avatar', () => {
    const item = makeItem({
      media: [
        { url: 'https://cdn.example.com/p.gif', type: null, medium: 'image', width: 1, fileSize: null },
        { url: 'https://cdn.example.com/icon.png', type: null, medium: 'image', width: 32, fileSize: null },
      ],
      thumbnail: 'https://secure.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346?s=96',
    });
    expect(pickLeadImage(item, '<img src="https://news.example.com/hero.jpg" />', BASE)?.url).toBe('https://news.example.com/hero.jpg');
  });

  it("passes over the author's avatar that GitHub's release feeds give as thumbnail", () => {
    const item = makeItem({ thumbnail: 'https://avatars.githubusercontent.com/u/394382?s=60&v=4' });
    expect(pickLeadImage(item, '', BASE)).toBeNull();
    expect(pickLeadImage(item, '<img src="https://news.example.com/hero.jpg" />', BASE)?.url).toBe('https://news.example.com/hero.jpg');
  });

  it('accepts media:content with only a URL when it looks like an image', () => {
    const item = makeItem({ media: [{ url: 'https://cdn.example.com/a.png?w=800', type: null, medium: null, width: null, fileSize: null }] });
    expect(pickLeadImage(item, '', BASE)?.url).toBe('https://cdn.example.com/a.png?w=800');
  });

  it('then an image enclosure, with its type and length', () => {
    const item = makeItem({
      enclosures: [
        { url: 'https://cdn.example.com/ep.mp3', type: 'audio/mpeg', length: 123 },
        { url: 'https://cdn.example.com/cover.webp', type: 'image/webp', length: 45678 },
      ],
      thumbnail: '/thumb.jpg',
    });
    expect(pickLeadImage(item, '', BASE)).toEqual({ url: 'https://cdn.example.com/cover.webp', type: 'image/webp', length: 45678 });
  });

  it('treats an enclosure length of 0 as unknown', () => {
    const item = makeItem({ enclosures: [{ url: 'https://cdn.example.com/c.jpg', type: 'image/jpeg', length: 0 }] });
    expect(pickLeadImage(item, '', BASE)?.length).toBeNull();
  });

  it('then the thumbnail', () => {
    const item = makeItem({ thumbnail: 'thumb.png' });
    expect(pickLeadImage(item, '<img src="https://x.example/c.jpg" />', BASE)).toEqual({
      url: 'https://news.example.com/posts/thumb.png',
      type: 'image/png',
      length: null,
    });
  });

  it('then the first image of the sanitized content', () => {
    const html = '<p>x</p><img alt="a" src="https://x.example/c.jpg?a=1&amp;b=2" /><img src="https://x.example/d.jpg" />';
    expect(pickLeadImage(makeItem(), html, BASE)).toEqual({ url: 'https://x.example/c.jpg?a=1&b=2', type: 'image/jpeg', length: null });
  });

  it('skips unusable and tracking candidates and may find nothing', () => {
    const item = makeItem({
      media: [{ url: 'javascript:alert(1)', type: 'image/png', medium: 'image', width: 10, fileSize: null }],
      enclosures: [{ url: 'data:image/png;base64,AAAA', type: 'image/png', length: 4 }],
      thumbnail: 'http://feeds.feedburner.com/~r/x/~4/y',
    });
    expect(pickLeadImage(item, '<p>no images</p>', BASE)).toBeNull();
  });
});

describe('buildCredit', () => {
  const input = (overrides: Partial<Parameters<typeof buildCredit>[0]> = {}): Parameters<typeof buildCredit>[0] => ({
    source: makeSource({ credit: 'Please credit Example News.', license: 'CC BY 4.0' }),
    feedUrl: 'https://news.example.com/feed.xml',
    feedLink: 'https://news.example.com/',
    originalUrl: 'https://news.example.com/posts/1',
    upstream: null,
    ...overrides,
  });

  it('carries the source, its credit line and licence', () => {
    expect(buildCredit(input())).toEqual({
      sourceId: 'example',
      sourceName: 'Example News',
      sourceSite: 'https://news.example.com/',
      feedUrl: 'https://news.example.com/feed.xml',
      originalUrl: 'https://news.example.com/posts/1',
      creditLine: 'Please credit Example News.',
      license: 'CC BY 4.0',
      via: [],
    });
  });

  it('prefers the configured site over the feed link, and has nulls when neither is known', () => {
    expect(buildCredit(input({ source: makeSource({ site: 'https://example.org/' }) })).sourceSite).toBe('https://example.org/');
    const bare = buildCredit(input({ source: makeSource(), feedLink: null }));
    expect(bare.sourceSite).toBeNull();
    expect(bare.creditLine).toBeNull();
    expect(bare.license).toBeNull();
  });

  it('names the upstream publisher as via', () => {
    const credit = buildCredit(
      input({ upstream: { title: 'Origin &amp; Co', url: 'https://origin.example/post', feedUrl: 'https://origin.example/rss' } }),
    );
    expect(credit.via).toEqual([{ name: 'Origin & Co', url: 'https://origin.example/post', feedUrl: 'https://origin.example/rss' }]);
  });

  it('names an untitled upstream by its host', () => {
    const credit = buildCredit(input({ upstream: { title: null, url: null, feedUrl: 'https://www.origin.example/rss' } }));
    expect(credit.via).toEqual([{ name: 'origin.example', url: null, feedUrl: 'https://www.origin.example/rss' }]);
  });

  it.each([
    ['the same name', { title: ' example news ', url: null, feedUrl: null }],
    ['the same feed', { title: 'Other', url: null, feedUrl: 'http://www.news.example.com/feed.xml' }],
    ['the same site', { title: 'Other', url: 'https://news.example.com', feedUrl: null }],
  ] as const)('leaves via empty when the upstream is the source itself (%s)', (_label, upstream) => {
    expect(buildCredit(input({ upstream })).via).toEqual([]);
  });

  it('ignores an upstream with nothing to name it by', () => {
    expect(buildCredit(input({ upstream: { title: '  ', url: 'javascript:x', feedUrl: null } })).via).toEqual([]);
  });
});

describe('the first picture of the content as lead image', () => {
  it.each([
    ['an emoji image', '<p><img draggable="false" role="img" class="emoji" alt="🇨🇭" src="https://s.w.org/images/core/emoji/13.1.0/72x72/1f1e8-1f1ed.png"> News</p>'],
    ['a smiley', '<p>Hi <img class="wp-smiley" src="https://blog.example.com/smile.png" alt=":)"></p>'],
    ['a declared icon', '<p><img src="https://blog.example.com/rss-icon.png" width="16" height="16"></p>'],
    ['an avatar', '<p><img src="https://secure.gravatar.com/avatar/abc?s=48&d=mm" alt=""></p>'],
  ])('skips %s, which stays in the content', (_name, before) => {
    const { html, image } = sanitizeContentAndText(`${before}<p><img src="https://blog.example.com/hero.jpg" alt="Hero"></p>`, BASE);
    expect(image).toBe('https://blog.example.com/hero.jpg');
    expect(html.match(/<img /g)).toHaveLength(2);
  });
});
