/**
 * Every document the running site serves, built by the real pipeline from
 * the project's fixture feeds, passes the feed rule checks with the served
 * URL as its self link, under the right media type, and with CORS on feeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAtom } from '../render/feed-rules-atom.js';
import { checkJsonFeed } from '../render/feed-rules-json.js';
import { checkRss } from '../render/feed-rules-rss.js';
import { BROKEN_SOURCES, GOOD_SOURCES } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';
import { startServedSite, type ServedSite } from './served-site.js';

const tempDir = useTempDirs('byline-validity-');
let site: ServedSite;

beforeAll(async () => {
  // One broken source, so the alerts feed has an entry to check.
  site = await startServedSite({ dir: tempDir(), sources: [...GOOD_SOURCES, BROKEN_SOURCES[0]!], settings: 'output:\n  archivePageSize: 10\n  hubUrl: https://hub.example/\n  language: en\n' });
}, 60_000);
afterAll(() => site.close());

describe('the served documents', () => {
  it.each([
    ['feed.xml', 'application/rss+xml; charset=utf-8', checkRss],
    ['newsletter.xml', 'application/rss+xml; charset=utf-8', checkRss],
    ['archive/1.xml', 'application/rss+xml; charset=utf-8', checkRss],
    ['atom.xml', 'application/atom+xml; charset=utf-8', checkAtom],
    ['archive/1.atom', 'application/atom+xml; charset=utf-8', checkAtom],
    ['alerts.xml', 'application/atom+xml; charset=utf-8', checkAtom],
    ['feed.json', 'application/feed+json; charset=utf-8', checkJsonFeed],
    ['archive/1.json', 'application/feed+json; charset=utf-8', checkJsonFeed],
  ] as const)('%s passes the rule checks as %s', async (file, type, check) => {
    const url = new URL(file, site.url).toString();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(check(await response.text(), { selfUrl: url })).toEqual([]);
  });

  it('were built from every good fixture source, and the broken one raised an alert', async () => {
    expect(site.report.outcomes.filter((outcome) => outcome.status === 'updated')).toHaveLength(GOOD_SOURCES.length);
    const alerts = await (await fetch(new URL('alerts.xml', site.url))).text();
    expect(alerts.match(/<entry>/g)).toHaveLength(1);
    expect(alerts).toContain('Missing Feed is failing');
  });

  it('answers 404 for an archive page that is not complete', async () => {
    expect((await fetch(new URL('archive/2.xml', site.url))).status).toBe(404);
    expect((await fetch(new URL('archive/0.xml', site.url))).status).toBe(404);
  });
});
