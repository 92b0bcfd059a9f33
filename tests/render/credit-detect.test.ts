/**
 * Credit a publisher already wrote into the content: the pure detector, and
 * the footer leaving out exactly the lines the content already carries (in
 * feed content; the HTML page and the newsletter profile keep the whole
 * footer).
 */
import { describe, expect, it } from 'vitest';
import { carriedCredit, contentWithFooter, DEFAULT_FOOTER_TEMPLATE, findCreditMentions, renderFooter, renderRss } from '../../src/render/index.js';
import { makeArticle, makeMeta } from './fixtures.js';
import { creditLines } from './html-support.js';
import { childNamed, childrenNamed, expectWellFormed } from './xml-support.js';

describe('findCreditMentions', () => {
  it.each([
    { html: '<p>Body.</p><p>Source: GogoAI News</p>', kinds: [['source']] },
    { html: '<p>Sources: Reuters, AP</p>', kinds: [['source']] },
    { html: '<p>来源：机器之心</p>', kinds: [['source']] },
    { html: '<p>文章来源: 量子位</p>', kinds: [['source']] },
    { html: '<p>本文转自 36氪</p>', kinds: [['source']] },
    { html: '<p>Original: <a href="https://x.example/a">https://x.example/a</a></p>', kinds: [['original']] },
    { html: '<p><a href="https://x.example/a">原文链接</a></p>', kinds: [['original']] },
    { html: '<p>点击阅读原文</p>', kinds: [['original']] },
    { html: '<p>Read the original article on X.</p>', kinds: [['original']] },
    // Markup around the words: a tag and the space after it are one space of the text.
    { html: '<p>Read the <a href="https://x.example/a">original</a> article.</p>', kinds: [['original']] },
    { html: '<p><em>Please</em> <strong>credit</strong> us</p>', kinds: [['republish']] },
    { html: '<p>Please credit GogoAI when republishing.</p>', kinds: [['republish']] },
    { html: '<p>转载请注明出处。</p>', kinds: [['republish']] },
    { html: '<p>轉載請註明來源</p>', kinds: [['republish']] },
    { html: '<p>来源：量子位 | 转载请注明出处</p>', kinds: [['source', 'republish']] },
    { html: '<p>We used open source software.</p><p>The original plan failed.</p>', kinds: [] },
    { html: '<p>Credit card fees rose.</p>', kinds: [] },
    { html: '<pre>source: x\noriginal: y</pre>', kinds: [['source'], ['original']] },
    { html: '<p>License: CC BY 4.0</p><p>本作品采用知识共享署名 4.0 国际许可协议进行许可。</p>', kinds: [['license'], ['license']] },
    { html: '<p>The model, licensed under MIT, runs locally.</p>', kinds: [] },
  ])('$html', ({ html, kinds }) => {
    expect(findCreditMentions(html).map((m) => m.kinds)).toEqual(kinds);
  });

  it('reads text with entities decoded and keeps link targets', () => {
    const [mention] = findCreditMentions('<p>Source:&nbsp;<a href="https://a.example/?x=1&amp;y=2">A &amp; B</a></p>');
    expect(mention).toEqual({ kinds: ['source'], text: 'Source: A & B', urls: ['https://a.example/?x=1&y=2'] });
  });
});

describe('carriedCredit', () => {
  const footer = {
    name: 'GogoAI News',
    site: 'www.gogoai.xin',
    link: 'https://www.gogoai.xin/news/1.html',
    creditLine: '转载请注明来源。',
    license: 'CC BY 4.0',
    via: ['Upstream Daily'],
  };
  const none = { name: false, link: false, creditLine: false, license: false, via: false };
  it.each([
    { name: 'nothing in plain content', html: '<p>Hello</p>', carried: none },
    { name: 'the same source by name', html: '<p>Source: GogoAI News</p>', carried: { ...none, name: true } },
    { name: 'the same source by host', html: '<p>来源：www.gogoai.xin</p>', carried: { ...none, name: true } },
    { name: 'the same source by a link to its site', html: '<p>Source: <a href="https://gogoai.xin/">them</a></p>', carried: { ...none, name: true } },
    { name: 'a different source', html: '<p>Source: Reuters</p>', carried: none },
    { name: 'the same original link', html: '<p><a href="http://www.gogoai.xin/news/1.html#top">原文链接</a></p>', carried: { ...none, link: true } },
    { name: 'a different original link', html: '<p><a href="https://www.gogoai.xin/news/2.html">原文链接</a></p>', carried: none },
    { name: 'the credit line repeated', html: '<p>转载请注明来源：GogoAI</p>', carried: { ...none, creditLine: true } },
    { name: 'a republishing request naming the source', html: '<p>Please credit GogoAI News when republishing.</p>', carried: { ...none, creditLine: true } },
    { name: 'the license', html: '<p>Licensed CC-BY 4.0</p>', carried: { ...none, license: true } },
    { name: 'the upstream named as source', html: '<p>Source: Upstream Daily</p>', carried: { ...none, via: true } },
  ])('$name', ({ html, carried }) => {
    expect(carriedCredit(html, footer)).toEqual(carried);
  });

  // Each of these once dropped a footer line because one name, host or link was found inside a longer one.
  it.each([
    { name: 'a host that merely ends the same', footer: { ...footer, name: 'Financial Times', site: 'www.ft.com' }, html: '<p>Source: microsoft.com blog</p>' },
    { name: 'a name inside a longer word', footer: { ...footer, name: 'FT', site: null }, html: '<p>Source: FTC filing</p>' },
    { name: 'a name inside a surname', footer: { ...footer, name: 'MIT', site: null }, html: '<p>Image credit: John Smith</p>' },
    { name: 'a longer host under the same name', footer: { ...footer, site: 'ft.com', name: null }, html: '<p>Source: ft.com.example.net</p>' },
    { name: 'a link the footer link begins', footer, html: '<p>Original: https://www.gogoai.xin/news/1.html5</p><p>原文链接：https://www.gogoai.xin/news/1.html?page=2</p>' },
    { name: 'the same path on another host', footer, html: '<p>Original: https://evil.gogoai.xin.example/news/1.html and mirror.gogoai.xin/news/1.html</p>' },
    { name: 'a license inside a word', footer: { ...footer, license: 'MIT' }, html: '<p>Source: Submit your comments below.</p>' },
    { name: 'a bare republishing request', footer: { ...footer, creditLine: 'Please credit GogoAI News when republishing.', name: 'Acme', site: null }, html: '<p>Please credit.</p>' },
  ])('not carried: $name', ({ footer: given, html }) => {
    expect(carriedCredit(html, given)).toEqual(none);
  });

  it.each([
    { name: 'a link written out with its scheme and a full stop', html: '<p>Original: https://www.gogoai.xin/news/1.html.</p>', carried: { ...none, link: true } },
    { name: 'a link written without scheme, after a Chinese colon', html: '<p>原文链接：gogoai.xin/news/1.html</p>', carried: { ...none, link: true } },
    { name: 'a link after a colon without a space', html: '<p>Original:https://www.gogoai.xin/news/1.html#comments</p>', carried: { ...none, link: true } },
    { name: 'the name run together', html: '<p>Source: gogoai-news</p>', carried: { ...none, name: true } },
    { name: 'a Chinese name touching the next word', footer: { ...footer, name: '机器之心', site: null }, html: '<p>来源：机器之心公众号</p>', carried: { ...none, name: true } },
    { name: 'a name after Chinese text without a space', footer: { ...footer, name: '36氪', site: null }, html: '<p>本文转自36氪</p>', carried: { ...none, name: true } },
    { name: 'a subdomain of the site', html: '<p>Source: news.gogoai.xin</p>', carried: { ...none, name: true } },
  ])('carried: $name', ({ footer: given, html, carried }) => {
    expect(carriedCredit(html, given ?? footer)).toEqual(carried);
  });

  describe('a source whose site is a page on a shared host', () => {
    const jane = { ...footer, name: 'Jane Doe', site: 'medium.com', siteUrl: 'https://medium.com/@jane?source=rss-1a2b', creditLine: 'Please credit Jane Doe.' };
    // Each of these once dropped the source's credit: another author on the same host is not the source.
    it.each([
      { name: 'a link to another author there', html: '<p>Source: <a href="https://medium.com/@bob/why-llms-fail-123">Bob Lee</a></p>' },
      { name: 'the host written out', html: '<p>Source: medium.com</p>' },
      { name: 'a longer user name', html: '<p>Source: medium.com/@janet and medium.com/@jane.smith</p>' },
      { name: 'a republishing request linking another author', html: '<p>Please credit <a href="https://medium.com/@bob">Bob</a> when republishing.</p>' },
    ])('not carried: $name', ({ html }) => {
      expect(carriedCredit(html, jane)).toEqual(none);
    });

    it.each([
      { name: 'a link to one of its posts', html: '<p>Source: <a href="https://medium.com/@jane/my-post-123">my post</a></p>' },
      { name: 'its page written out', html: '<p>Source: medium.com/@Jane.</p>' },
      { name: 'its name', html: '<p>Source: Jane Doe</p>' },
    ])('carried: $name', ({ html }) => {
      expect(carriedCredit(html, jane).name).toBe(true);
    });

    it('keeps the source line of the footer in the feed content', () => {
      const article = makeArticle({
        contentHtml: '<p>A good read.</p><p>Source: <a href="https://medium.com/@bob/why-llms-fail-123">Bob Lee</a></p>',
        credit: { sourceName: 'Jane Doe', sourceSite: 'https://medium.com/@jane', creditLine: null },
      });
      expect(renderFooter(DEFAULT_FOOTER_TEMPLATE, article, { omitCarried: true }).text).toContain('📌 Source: Jane Doe (medium.com)');
    });

    it('a home page named by its index file is the host', () => {
      const site = { ...footer, siteUrl: 'https://www.gogoai.xin/index.html' };
      expect(carriedCredit('<p>Source: <a href="https://gogoai.xin/about">them</a></p>', site).name).toBe(true);
    });
  });

  it('carries nothing the footer would not print', () => {
    expect(carriedCredit('<p>Source: X</p><p>转载请注明</p>', { name: null, site: null, link: null, creditLine: null, license: null, via: [] })).toEqual(none);
  });
});

describe('the footer leaves out what the content carries', () => {
  const url = 'https://www.gogoai.xin/news/7.html';
  const base = { url, credit: { originalUrl: url, creditLine: 'Please credit GogoAI when republishing.' } };

  it.each([
    { name: 'nothing carried: all three lines', content: '<p>Body</p>', lines: ['📌 Source: GogoAI News (www.gogoai.xin)', `🔗 Original: ${url}`, '⚠️ Please credit GogoAI when republishing.'] },
    { name: 'a Source line', content: '<p>Body</p><p>Source: GogoAI News</p>', lines: [`🔗 Original: ${url}`, '⚠️ Please credit GogoAI when republishing.'] },
    { name: 'a Chinese source and original link', content: `<p>来源：GogoAI News</p><p><a href="${url}">原文链接</a></p>`, lines: ['⚠️ Please credit GogoAI when republishing.'] },
    { name: 'the republishing request', content: '<p>Please credit GogoAI when republishing.</p>', lines: ['📌 Source: GogoAI News (www.gogoai.xin)', `🔗 Original: ${url}`] },
    { name: 'everything', content: `<p>Source: GogoAI News</p><p>Original: ${url}</p><p>Please credit GogoAI when republishing.</p>`, lines: [] },
    { name: 'another publisher named as source', content: '<p>Source: Reuters</p>', lines: ['📌 Source: GogoAI News (www.gogoai.xin)', `🔗 Original: ${url}`, '⚠️ Please credit GogoAI when republishing.'] },
  ])('$name', ({ content, lines }) => {
    const article = makeArticle({ ...base, contentHtml: content });
    expect(creditLines(contentWithFooter(DEFAULT_FOOTER_TEMPLATE, article))).toEqual(lines);
    // Never removed from the content itself, and the complete footer is still available.
    expect(contentWithFooter(DEFAULT_FOOTER_TEMPLATE, article).startsWith(content)).toBe(true);
    expect(creditLines(contentWithFooter(DEFAULT_FOOTER_TEMPLATE, article, true))).toHaveLength(3);
  });

  it('keeps literal lines and lines with uncarried placeholders', () => {
    const article = makeArticle({ ...base, contentHtml: '<p>Source: GogoAI News</p>' });
    const template = 'Thanks for reading\nSource: {name} — {link}\n{name}';
    expect(renderFooter(template, article, { omitCarried: true }).text.split('\n')).toEqual(['Thanks for reading', `Source: GogoAI News — ${url}`]);
  });

  it('drops the automatic via line when the content names the upstream', () => {
    const article = makeArticle({ ...base, contentHtml: '<p>Source: Upstream Daily</p>', credit: { ...base.credit, via: [{ name: 'Upstream Daily', url: null, feedUrl: null }] } });
    expect(renderFooter(DEFAULT_FOOTER_TEMPLATE, article, { omitCarried: true }).text).not.toContain('Via');
    expect(renderFooter(DEFAULT_FOOTER_TEMPLATE, article).text).toContain('🔁 Via: Upstream Daily');
  });

  it('applies in feed content, while the newsletter profile keeps the whole footer', async () => {
    const article = makeArticle({ ...base, contentHtml: '<p>来源：GogoAI News</p>' });
    const meta = makeMeta();
    const feed = childrenNamed(childNamed(await expectWellFormed(renderRss(meta, [article])), 'channel'), 'item')[0]!;
    expect(creditLines(childNamed(feed, 'content:encoded').text)).toEqual([`🔗 Original: ${url}`, '⚠️ Please credit GogoAI when republishing.']);
    const mail = childrenNamed(childNamed(await expectWellFormed(renderRss(meta, [article], 'newsletter')), 'channel'), 'item')[0]!;
    expect(creditLines(childNamed(mail, 'content:encoded').text)).toHaveLength(3);
    expect(creditLines(childNamed(mail, 'description').text)).toHaveLength(3);
  });
});
