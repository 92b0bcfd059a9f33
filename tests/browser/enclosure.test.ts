/**
 * An episode's audio or video file as a person opening /feed.xml sees it in
 * headless Chromium through feed.xsl: a link labelled like the front page's
 * ("Listen (MP3, 24 MB)"), never for the lead image an item without such a
 * file carries as its enclosure. Skipped when Chromium is not installed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_XSL, renderRss } from '../../src/render/index.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeArticle, makeMeta } from '../render/fixtures.js';
import { CHROMIUM, chromiumPresent, launchChromium } from './chromium.js';

const COVER = { url: 'https://pod.example/cover.jpg', type: 'image/jpeg', length: 5000 };

function podcastRss(): string {
  return renderRss(makeMeta({ stylesheetUrl: '/feed.xsl' }), [
    makeArticle({ id: 'ep', title: 'Episode 42', image: COVER, enclosure: { url: 'https://pod.example/ep42.mp3?a=1&b=2', type: 'audio/mpeg', length: 24_300_000 } }),
    makeArticle({ id: 'talk', title: 'A talk', enclosure: { url: 'https://pod.example/talk.webm', type: 'video/webm', length: null } }),
    makeArticle({ id: 'clip', title: 'A clip', enclosure: { url: 'https://pod.example/clip.m4a', type: 'audio/x-m4a', length: 2_450_000 } }),
    makeArticle({ id: 'post', title: 'A post', image: COVER }),
  ]);
}

describe.skipIf(!chromiumPresent)(`feed.xsl shows the episode file${chromiumPresent ? '' : ` (skipped: ${CHROMIUM} not installed)`}`, () => {
  let server: FixtureServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startFixtureServer();
    server.route('/feed.xml', { body: podcastRss(), type: 'application/xml' });
    server.route('/feed.xsl', { body: FEED_XSL, type: 'text/xsl; charset=utf-8' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('links each item\'s audio or video file, and nothing for an image', async (test) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The page's own requests only: the file links must not be fetched while the page is shown.
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(server.url('/feed.xml'));
      if ((await page.locator('article').count()) === 0) {
        test.skip('this Chromium build has no XSLT');
        return;
      }
      const files: Array<Array<[string | null, string]>> = [];
      for (const article of await page.locator('article').all()) {
        const links = await article.locator('.enclosure a').all();
        files.push(await Promise.all(links.map(async (link) => [await link.getAttribute('href'), await link.innerText()] as [string | null, string])));
      }
      expect(files).toEqual([
        [['https://pod.example/ep42.mp3?a=1&b=2', 'Listen (MP3, 24 MB)']],
        [['https://pod.example/talk.webm', 'Watch (WEBM)']],
        [['https://pod.example/clip.m4a', 'Listen (M4A, 2.5 MB)']],
        [],
      ]);
      expect(requested.every((url) => url.startsWith(server.url('/')))).toBe(true);
    } finally {
      await context.close();
    }
  });
});
