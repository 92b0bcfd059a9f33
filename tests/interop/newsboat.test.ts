/**
 * newsboat, a terminal feed reader, loads our served RSS, Atom and newsletter
 * feeds: `newsboat -x reload` with its own config, cache and HOME in a temp
 * folder, then the items are read back from its SQLite cache. Every item
 * arrives with its title, link and GUID, and the credit footer in its content.
 * (newsboat keys items by GUID across feeds, so each feed gets its own cache.)
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/tmp.js';
import { hasNewsboat, run } from './external-tools.js';
import { publishedItems, startServedSite, type PublishedItem, type ServedSite } from './served-site.js';

interface Row {
  title: string;
  url: string;
  guid: string;
  author: string;
  content: string;
  feedurl: string;
}

async function newsboat(dir: string, feedUrl: string): Promise<Row[]> {
  const home = path.join(dir, 'home');
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(dir, 'urls'), `${feedUrl}\n`);
  writeFileSync(path.join(dir, 'config'), '');
  const cache = path.join(dir, 'cache.db');
  const args = ['-u', path.join(dir, 'urls'), '-c', cache, '-C', path.join(dir, 'config')];
  const reload = await run('newsboat', ['-x', 'reload', ...args], { HOME: home });
  expect(reload.code, reload.stderr).toBe(0);
  const unread = await run('newsboat', ['-x', 'print-unread', ...args], { HOME: home });
  expect(unread.code, unread.stderr).toBe(0);
  const db = new Database(cache, { readonly: true });
  try {
    const rows = db.prepare('SELECT title, url, guid, author, content, feedurl FROM rss_item ORDER BY id').all() as Row[];
    expect(unread.stdout).toMatch(new RegExp(`^${rows.length} unread articles`));
    return rows;
  } finally {
    db.close();
  }
}

describe.skipIf(!hasNewsboat)(`newsboat loads every served item${hasNewsboat ? '' : ' (skipped: newsboat not installed)'}`, () => {
  const tempDir = useTempDirs('byline-newsboat-');
  let site: ServedSite;
  let published: PublishedItem[];

  beforeAll(async () => {
    site = await startServedSite({ dir: tempDir() });
    published = await publishedItems(site);
  }, 60_000);
  afterAll(() => site.close());

  it.each(['feed.xml', 'atom.xml'])('%s: every item, with title, link, guid and credit', async (file) => {
    const rows = await newsboat(tempDir(), new URL(file, site.url).toString());
    expect(rows).toHaveLength(published.length);
    const byGuid = new Map(rows.map((row) => [row.guid, row]));
    for (const item of published) {
      const row = byGuid.get(item.id);
      expect(row, `item ${item.id} (${item.title})`).toBeDefined();
      expect(row!.title).toBe(item.title);
      expect(row!.url).toBe(item.url);
      expect(row!.content).toContain(`📌 Source: ${item._byline.source.name}`);
      expect(row!.content).toContain('🔗 Original:');
    }
  });

  it('newsletter.xml: every item carries the whole footer', async () => {
    const rows = await newsboat(tempDir(), new URL('newsletter.xml', site.url).toString());
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      const item = published.find((candidate) => candidate.id === row.guid);
      expect(item, row.guid).toBeDefined();
      expect(row.content).toContain(`📌 Source: ${item!._byline.source.name}`);
    }
  });
});
