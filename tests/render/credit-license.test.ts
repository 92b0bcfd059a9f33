/**
 * The footer's licence line in feed content: left out only when the publisher
 * wrote a licence line of their own, never because the body happens to name
 * the licence (a dataset, a photo, a quoted project).
 */
import { describe, expect, it } from 'vitest';
import { carriedCredit, renderRss } from '../../src/render/index.js';
import { makeArticle, makeMeta } from './fixtures.js';
import { creditLines } from './html-support.js';
import { childNamed, childrenNamed, expectWellFormed } from './xml-support.js';

const TEMPLATE = '📌 Source: {name}\n📜 License: {license}';
const LICENSE_LINE = '📜 License: CC BY 4.0';

async function feedFooter(contentHtml: string): Promise<string[]> {
  const article = makeArticle({ contentHtml, credit: { license: 'CC BY 4.0' } });
  const xml = await expectWellFormed(renderRss(makeMeta({ footerTemplate: TEMPLATE }), [article]));
  const item = childrenNamed(childNamed(xml, 'channel'), 'item')[0]!;
  return creditLines(childNamed(item, 'content:encoded').text);
}

describe('the licence line of the footer', () => {
  it.each([
    { name: 'licensed under it in passing', html: '<p>The benchmark data, licensed under CC BY 4.0, is on GitHub.</p>' },
    { name: 'the licence named in a sentence', html: '<p>We chose CC BY 4.0 for the dataset because it allows reuse.</p>' },
    { name: 'a dataset licensed under it', html: '<p>The dataset is licensed under CC BY 4.0.</p>' },
    { name: 'an image credit with the licence', html: '<p>Image credit: Wikimedia Commons, CC BY 4.0</p>' },
    { name: 'a source line of someone else', html: '<p>Source: Reuters (CC BY 4.0)</p>' },
    { name: 'a dataset whose name holds a word for a work', html: '<p>The video dataset is licensed under CC BY 4.0.</p>' },
    { name: 'a model whose name holds a word for a work', html: '<p>The text-to-video model is licensed under CC BY 4.0.</p>' },
    { name: "a dataset's licence label", html: '<p>Dataset license: CC BY 4.0</p>' },
    { name: 'a licence label inside an image credit', html: '<p>Photo: Jane Doe, Wikimedia Commons. License: CC BY 4.0</p>' },
    { name: 'a list item lettered (c)', html: '<ol><li>(a) code;</li><li>(c) the benchmark, with CC BY 4.0 data.</li></ol>' },
    { name: 'the dataset an article uses, in Chinese', html: '<p>本文使用的数据集采用 CC BY 4.0 许可协议。</p>' },
    { name: 'what an article adopts, in Chinese', html: '<p>本文采用的评测数据遵循 CC BY 4.0 协议。</p>' },
    { name: "a dataset's licence label, in Chinese", html: '<p>数据集许可证：CC BY 4.0</p>' },
  ])('stays when the body mentions the licence: $name', async ({ html }) => {
    expect(await feedFooter(html)).toContain(LICENSE_LINE);
  });

  it.each([
    { name: 'a License: line', html: '<p>Body.</p><p>License: CC BY 4.0</p>' },
    { name: 'a Licence: line', html: '<p>Body.</p><p>Licence: CC-BY 4.0</p>' },
    { name: 'a line that starts with Licensed', html: '<p>Body.</p><p>Licensed CC-BY 4.0</p>' },
    { name: 'this work is licensed under', html: '<p>Body.</p><p>This work by GogoAI is licensed under CC BY 4.0.</p>' },
    { name: 'all content on the site', html: '<p>Body.</p><p>All content on this site is licensed under CC BY 4.0 unless noted.</p>' },
    { name: 'a copyright line', html: '<p>Body.</p><p>© 2024 GogoAI News. CC BY 4.0.</p>' },
    { name: 'a republishing request with the licence', html: '<p>Body.</p><p>Republished with permission under CC BY 4.0.</p>' },
    { name: 'a Chinese licence statement', html: '<p>正文。</p><p>本作品采用 CC BY 4.0 许可协议进行许可。</p>' },
    { name: 'a Chinese licence label', html: '<p>正文。</p><p>许可协议：CC BY 4.0</p>' },
    { name: 'a licence label after a sign', html: '<p>Body.</p><p>📜 License: CC BY 4.0</p>' },
    { name: "the article's licence label", html: '<p>Body.</p><p>Article licence: CC BY 4.0</p>' },
    { name: 'all the content of a site, unless noted', html: '<p>Body.</p><p>All content on this site, unless noted otherwise, is licensed under CC BY 4.0.</p>' },
    { name: 'a blog post', html: '<p>Body.</p><p>This blog post is licensed under CC BY 4.0.</p>' },
    { name: 'a (c) copyright line', html: '<p>Body.</p><p>(c) 2024 GogoAI News, CC BY 4.0</p>' },
    { name: 'every post of a Chinese blog', html: '<p>正文。</p><p>本博客所有文章除特别声明外，均采用 CC BY 4.0 许可协议。</p>' },
    { name: 'the articles of a Chinese site', html: '<p>正文。</p><p>本站的所有文章均采用 CC BY 4.0 协议。</p>' },
  ])('is left out when the publisher wrote it: $name', async ({ html }) => {
    const lines = await feedFooter(html);
    expect(lines).not.toContain(LICENSE_LINE);
    expect(lines).toContain('📌 Source: GogoAI News');
  });

  it('a licence line of another licence does not carry it', () => {
    const footer = { name: null, site: null, link: null, creditLine: null, license: 'CC BY 4.0', via: [] };
    expect(carriedCredit('<p>License: MIT</p>', footer).license).toBe(false);
    expect(carriedCredit('<p>License: CC BY 4.0</p>', footer).license).toBe(true);
  });
});
