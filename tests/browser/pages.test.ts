/**
 * What a person sees, in headless Chromium (Debian's /usr/bin/chromium driven
 * by playwright-core): the river-of-news page shows each item's title, source
 * and credit with no script at all, fits a phone screen without sideways
 * scrolling, and opening /feed.xml shows a readable page through the XSL
 * stylesheet. Skipped when Chromium is not installed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/tmp.js';
import { publishedItems, startServedSite, type PublishedItem, type ServedSite } from '../interop/served-site.js';
import { CHROMIUM, chromiumPresent, launchChromium } from './chromium.js';

const PHONE = { width: 360, height: 740 };

describe.skipIf(!chromiumPresent)(`pages in a browser${chromiumPresent ? '' : ` (skipped: ${CHROMIUM} not installed)`}`, () => {
  const tempDir = useTempDirs('byline-browser-');
  let site: ServedSite;
  let browser: Browser;
  let items: PublishedItem[];

  beforeAll(async () => {
    site = await startServedSite({ dir: tempDir() });
    items = await publishedItems(site);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('the front page shows every title, its source and its credit, with scripts disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      expect(await page.locator('script').count()).toBe(0);
      const titles = await page.locator('article h2').allInnerTexts();
      expect(titles).toEqual(items.map((item) => item.title));
      for (const item of items) {
        const article = page.locator('article', { has: page.locator('h2', { hasText: item.title }) }).first();
        await expect.poll(() => article.isVisible()).toBe(true);
        const text = await article.innerText();
        expect(text).toContain(item._byline.source.name);
        expect(text).toContain(`Source: ${item._byline.source.name}`);
        if (item._byline.credit) expect(text).toContain(item._byline.credit);
      }
      // The source list with health.
      expect(await page.locator('footer .sources li').count()).toBe(6);
      expect(await page.locator('footer').innerText()).toMatch(/Frontier Lab: ok/);
    } finally {
      await context.close();
    }
  });

  it('the front page fits a phone screen without horizontal scrolling', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      // Evaluated in the page; written as source text because this file is compiled without DOM types.
      const { scrollWidth, clientWidth } = (await page.evaluate(
        '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
      )) as { scrollWidth: number; clientWidth: number };
      expect(clientWidth).toBeLessThanOrEqual(PHONE.width);
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    } finally {
      await context.close();
    }
  });

  it('/feed.xml opened in the browser is a readable page through feed.xsl', async (test) => {
    const context = await browser.newContext({ viewport: PHONE });
    try {
      const page = await context.newPage();
      const response = await page.goto(new URL('feed.xml', site.url).toString());
      expect(response?.status()).toBe(200);
      if (!(await page.evaluate("typeof XSLTProcessor !== 'undefined'"))) {
        test.skip('this Chromium build has no XSLT');
        return;
      }
      const titles = await page.locator('article h2').allInnerTexts();
      expect(titles).toEqual(items.map((item) => item.title));
      const body = await page.locator('body').innerText();
      expect(body).toContain('This is a web feed');
      expect(body).toContain(new URL('feed.xml', site.url).toString());
      for (const item of items) expect(body).toContain(`Source: ${item._byline.source.name}`);
      expect(body).toContain('Please credit Frontier Lab when republishing.');
      // Escaped summaries come back as text, never as markup.
      expect(await page.locator('main script, main img').count()).toBe(0);
      const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await context.close();
    }
  });
});
