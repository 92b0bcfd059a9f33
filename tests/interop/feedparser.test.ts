/**
 * Python feedparser, the parser behind many readers and newsletter tools,
 * fetches our served RSS, Atom, newsletter and archive documents over HTTP:
 * no bozo flag (the document is well-formed and correctly labelled), every
 * item, and titles, links, GUIDs and credit (source, rights, the footer) as
 * we published them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/tmp.js';
import { hasFeedparser, PYTHON, run } from './external-tools.js';
import { FIRST_SEEN, publishedItems, startServedSite, type ServedSite } from './served-site.js';

const READ_FEED = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({
    "version": d.version,
    "bozo": bool(d.bozo),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "entries": [{
        "title": e.get("title"),
        "link": e.get("link"),
        "id": e.get("id"),
        "source": (e.get("source") or {}).get("title"),
        "rights": e.get("rights"),
        "content": "".join(c.get("value", "") for c in e.get("content", [])),
    } for e in d.entries],
}, ensure_ascii=False))
`;

interface Parsed {
  version: string;
  bozo: boolean;
  bozo_exception: string;
  entries: Array<{ title: string; link: string; id: string; source: string | null; rights: string | null; content: string }>;
}

async function feedparser(url: string): Promise<Parsed> {
  const result = await run(PYTHON, ['-c', READ_FEED, url]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Parsed;
}

describe.skipIf(!hasFeedparser)(`Python feedparser reads the served feeds${hasFeedparser ? '' : ' (skipped: /usr/bin/python3 has no feedparser)'}`, () => {
  const tempDir = useTempDirs('byline-interop-');
  let site: ServedSite;
  let expected: Map<string, { title: string; url: string; source: string }>;
  // The newsletter leaves out items first seen more than a day after publication.
  let fresh = 0;

  beforeAll(async () => {
    site = await startServedSite({ dir: tempDir(), settings: 'output:\n  archivePageSize: 10\n' });
    const items = await publishedItems(site);
    expected = new Map(items.map((item) => [item.id, { title: item.title, url: item.url, source: item._byline.source.name }]));
    fresh = items.filter((item) => FIRST_SEEN.getTime() - Date.parse(item.date_published) <= 86_400_000).length;
  }, 60_000);
  afterAll(() => site.close());

  it.each([
    ['feed.xml', 'rss20', 11],
    ['atom.xml', 'atom10', 11],
    ['newsletter.xml', 'rss20', -1],
    ['archive/1.xml', 'rss20', 10],
    ['archive/1.atom', 'atom10', 10],
  ])('%s: %s, no bozo, every entry (%i; -1: the fresh ones) with title, link and credit', async (path, version, count) => {
    const parsed = await feedparser(new URL(path, site.url).toString());
    expect(parsed.bozo_exception).toBe('');
    expect(parsed.bozo).toBe(false);
    expect(parsed.version).toBe(version);
    expect(parsed.entries).toHaveLength(count === -1 ? fresh : count);
    if (count === -1) expect(fresh).toBeGreaterThan(1);
    for (const entry of parsed.entries) {
      const published = expected.get(entry.id);
      expect(published, `unknown id ${entry.id}`).toBeDefined();
      expect(entry.title).toBe(published!.title);
      expect(entry.link).toBe(published!.url);
      expect(entry.source).toBe(published!.source);
      expect(entry.content).toContain(`📌 Source: ${published!.source}`);
      expect(entry.content).toContain(`href="${published!.url.replace(/&/g, '&amp;')}"`);
      if (published!.source !== 'Hostile Blog') expect(entry.rights).toMatch(/credit|转载/i);
    }
  });
});
