/**
 * Turning an OPML list into source entries: ids from titles (or hosts) that
 * are unique, feeds already configured or listed twice left out, only web
 * feeds, and a file the loader reads back as the same sources.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, sourcesFileText, sourcesFromOpml } from '../../src/config/index.js';
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
