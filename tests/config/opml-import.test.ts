/**
 * Turning an OPML list into source entries: ids from titles (or hosts) that
 * are unique, feeds already configured or listed twice left out, only web
 * feeds, and a file the loader reads back as the same sources.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIdPicker, loadConfig, sourcesFileText, sourcesFromOpml } from '../../src/config/index.js';
import type { OpmlFeed } from '../../src/model/index.js';

const existing = [
  { id: 'openai', name: 'OpenAI News', url: 'https://openai.com/news/rss.xml', enabled: true },
  { id: 'lab-one', name: 'Lab One', url: 'https://one.example/old.xml', enabled: false },
];
const feed = (title: string, xmlUrl: string, htmlUrl: string | null = null): OpmlFeed => ({ title, xmlUrl, htmlUrl });

describe('sourcesFromOpml', () => {
  it('gives each new feed a unique slug id, its title as name and its page as site', () => {
    const { sources, skipped } = sourcesFromOpml(
      [
        feed('Lab One', 'https://one.example/feed.xml', 'https://one.example/'),
        feed('Lab One!', 'https://one.example/other.xml'),
        feed('机器之心', 'https://www.jiqizhixin.com/rss', 'https://www.jiqizhixin.com/'),
        feed('', 'https://news.example.org/feed'),
        feed('Émergence: a very long title about large language models and their makers', 'https://long.example/feed'),
        feed('Scripted', 'https://scripted.example/feed', 'javascript:alert(1)'),
      ],
      existing,
    );
    expect(skipped).toEqual([]);
    expect(sources).toEqual([
      { id: 'lab-one-2', name: 'Lab One', url: 'https://one.example/feed.xml', site: 'https://one.example/', enabled: true },
      { id: 'lab-one-3', name: 'Lab One!', url: 'https://one.example/other.xml', enabled: true },
      { id: 'jiqizhixin-com', name: '机器之心', url: 'https://www.jiqizhixin.com/rss', site: 'https://www.jiqizhixin.com/', enabled: true },
      { id: 'news-example-org', name: 'news.example.org', url: 'https://news.example.org/feed', enabled: true },
      { id: 'emergence-a-very-long-title-about-large', name: 'Émergence: a very long title about large language models and their makers', url: 'https://long.example/feed', enabled: true },
      { id: 'scripted', name: 'Scripted', url: 'https://scripted.example/feed', enabled: true },
    ]);
  });

  it('leaves out feeds the config has, feeds listed twice and feeds that are not on the web, saying why', () => {
    const { sources, skipped } = sourcesFromOpml(
      [
        feed('OpenAI', 'https://OpenAI.com/news/rss.xml'),
        feed('New', 'https://new.example/feed'),
        feed('New again', 'https://new.example/feed'),
        feed('Local', 'file:///etc/passwd'),
        feed('Gopher', 'gopher://old.example/feed'),
        feed('Broken', 'https://'),
      ],
      existing,
    );
    expect(sources.map((source) => source.id)).toEqual(['new']);
    expect(skipped).toEqual([
      { url: 'https://OpenAI.com/news/rss.xml', reason: 'already configured as "openai"' },
      { url: 'https://new.example/feed', reason: 'listed twice (imported as "new")' },
      { url: 'file:///etc/passwd', reason: 'not an http(s) URL' },
      { url: 'gopher://old.example/feed', reason: 'not an http(s) URL' },
      { url: 'https://', reason: 'url: invalid URL (expected http, https or file)' },
    ]);
  });

  it('names a skipped private feed without its user and password, since the list is printed', () => {
    const privateExisting = [...existing, { id: 'private', name: 'Private', url: 'https://reader:s3cret@feeds.example/private.xml', enabled: true }];
    const { sources, skipped } = sourcesFromOpml(
      [
        feed('Private', 'https://reader:s3cret@feeds.example/private.xml'),
        feed('Other', 'https://other:pa55@other.example/feed'),
        feed('Other again', 'https://other:pa55@other.example/feed'),
        feed('Local', 'ftp://user:pa55@files.example/feed'),
      ],
      privateExisting,
    );
    // The new source keeps its credentials: the config file is where they belong.
    expect(sources.map((source) => source.url)).toEqual(['https://other:pa55@other.example/feed']);
    expect(skipped).toEqual([
      { url: 'https://feeds.example/private.xml', reason: 'already configured as "private"' },
      { url: 'https://other.example/feed', reason: 'listed twice (imported as "other")' },
      { url: 'ftp://files.example/feed', reason: 'not an http(s) URL' },
    ]);
  });
});

describe('ids of feeds that share a title', () => {
  it('are the base, then the first free of base-2, base-3, …, whatever else takes ids meanwhile', () => {
    const configured = [
      { id: 'news', name: 'News', url: 'https://configured.example/a.xml', enabled: true },
      { id: 'news-3', name: 'News 3', url: 'https://configured.example/b.xml', enabled: true },
    ];
    const { sources, skipped } = sourcesFromOpml(
      [
        feed('News', 'https://a.example/feed'),
        feed('News', 'https://b.example/feed'),
        feed('News 5', 'https://c.example/feed'),
        feed('News', 'https://d.example/feed'),
        // Refused: the id it was offered stays free for the next one.
        feed('News', 'https://'),
        feed('News', 'https://e.example/feed'),
        feed('News 2', 'https://f.example/feed'),
        feed('Other', 'https://g.example/feed'),
        feed('News!', 'https://h.example/feed'),
        feed('News 2', 'https://i.example/feed'),
        feed('', 'https://news.example/feed'),
        feed('', 'https://news.example/other'),
      ],
      configured,
    );
    expect(skipped.map((entry) => entry.url)).toEqual(['https://']);
    expect(sources.map((source) => source.id)).toEqual([
      'news-2',
      'news-4',
      'news-5',
      'news-6',
      'news-7',
      'news-2-2',
      'other',
      'news-8',
      'news-2-3',
      'news-example',
      'news-example-2',
    ]);
  });

  it('costs a bounded number of lookups per feed, however many share the title', () => {
    // A Set that counts lookups: the ids picked for 5,000 feeds of one title, next to ids taken beforehand.
    class CountingSet extends Set<string> {
      lookups = 0;
      override has(value: string): boolean {
        this.lookups++;
        return super.has(value);
      }
    }
    const taken = new CountingSet(['feed-3', 'feed-10']);
    const pick = createIdPicker(taken);
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const id = pick('feed');
      taken.add(id);
      ids.push(id);
    }
    expect(ids.slice(0, 10)).toEqual(['feed', 'feed-2', 'feed-4', 'feed-5', 'feed-6', 'feed-7', 'feed-8', 'feed-9', 'feed-11', 'feed-12']);
    expect(ids.at(-1)).toBe('feed-5002');
    expect(new Set(ids).size).toBe(5000);
    // One lookup finds the id picked last taken, the next one is free; a taken id is passed once.
    expect(taken.lookups).toBeLessThanOrEqual(2 * 5000 + 2);
  });
});

describe('sourcesFileText', () => {
  it('writes a file the loader reads back as the same sources, under its comment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'byline-import-'));
    try {
      writeFileSync(path.join(dir, 'sources.yaml'), 'sources:\n  - { id: openai, name: OpenAI News, url: "https://openai.com/news/rss.xml" }\n');
      const { sources } = sourcesFromOpml(
        [feed('Lab: "One" #1', 'https://one.example/feed.xml?a=1&b=2', 'https://one.example/'), feed('机器之心', 'https://www.jiqizhixin.com/rss')],
        loadConfig(dir).sources,
      );
      const text = sourcesFileText(sources, 'Imported from subs.opml.\nReview the ids.');
      expect(text.startsWith('# Imported from subs.opml.\n# Review the ids.\nsources:\n')).toBe(true);
      writeFileSync(path.join(dir, 'imported.yaml'), text);
      expect(loadConfig(dir).sources.filter((source) => source.id !== 'openai')).toEqual(sources);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
