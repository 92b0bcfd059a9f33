/** FeedBurner's proxied links: the publisher's own addresses it wrote beside them are read. */
import { describe, expect, it } from 'vitest';
import { atom, parseText, rss } from './helpers.js';

const FB = ' xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"';

describe('feedburner:origLink and feedburner:origEnclosureLink', () => {
  it('reads the original link of an RSS item beside the proxied one, and the original enclosure', async () => {
    const feed = await parseText(
      rss(
        '<item><title>a</title><link>http://feedproxy.google.com/~r/pub/~3/AbC/a.html</link>' +
          '<feedburner:origLink>https://pub.example/2024/a.html</feedburner:origLink>' +
          '<enclosure url="http://feedproxy.google.com/~r/pub/~5/XyZ/a.jpg" type="image/jpeg" length="10"/>' +
          '<feedburner:origEnclosureLink>https://pub.example/media/a.jpg</feedburner:origEnclosureLink></item>' +
          '<item><title>b</title><link>https://pub.example/b.html</link></item>',
        '',
        FB,
      ),
    );
    expect(feed.items[0]).toMatchObject({
      link: 'http://feedproxy.google.com/~r/pub/~3/AbC/a.html',
      originalLink: 'https://pub.example/2024/a.html',
      enclosures: [{ url: 'https://pub.example/media/a.jpg', type: 'image/jpeg', length: 10 }],
    });
    expect(feed.items[1]?.originalLink).toBeNull();
  });

  it('reads it in an Atom entry, whatever prefix the document binds to the namespace', async () => {
    const feed = await parseText(
      atom(
        '<entry><id>urn:a</id><link rel="alternate" href="http://feedproxy.google.com/~r/pub/~3/AbC/a.html"/>' +
          '<fb:origLink>https://pub.example/a.html</fb:origLink></entry>',
        '',
        ' xmlns:fb="http://rssnamespace.org/feedburner/ext/1.0"',
      ),
    );
    expect(feed.items[0]).toMatchObject({ link: 'http://feedproxy.google.com/~r/pub/~3/AbC/a.html', originalLink: 'https://pub.example/a.html' });
  });

  it('ignores an original that is no absolute http(s) address, and leaves an enclosure not on the proxy alone', async () => {
    const feed = await parseText(
      rss(
        '<item><title>a</title><link>http://feedproxy.google.com/~r/pub/~3/AbC/a.html</link>' +
          '<feedburner:origLink>/relative/a.html</feedburner:origLink>' +
          '<enclosure url="https://cdn.example/a.mp3" type="audio/mpeg"/>' +
          '<feedburner:origEnclosureLink>https://pub.example/a.mp3</feedburner:origEnclosureLink></item>',
        '',
        FB,
      ),
    );
    expect(feed.items[0]?.originalLink).toBeNull();
    expect(feed.items[0]?.enclosures.map((enclosure) => enclosure.url)).toEqual(['https://cdn.example/a.mp3']);
  });
});
