/**
 * The credit footer template: placeholders, optional bracket segments, dropped
 * lines, the automatic via line, and escaping (a template or a feed value can
 * never inject markup).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FOOTER_TEMPLATE, renderFooter } from '../../src/render/index.js';
import { makeArticle, type ArticleOverrides } from './fixtures.js';
import { creditLines, findElements } from './html-support.js';

describe('DEFAULT_FOOTER_TEMPLATE', () => {
  it('is exactly the documented template', () => {
    expect(DEFAULT_FOOTER_TEMPLATE).toBe('📌 Source: {name}[ ({site})]\n🔗 Original: {link}\n⚠️ {credit}');
  });

  it('renders the three documented lines for a fully credited article', () => {
    const article = makeArticle({ url: 'https://www.gogoai.xin/news/1.html' });
    expect(renderFooter(DEFAULT_FOOTER_TEMPLATE, article).text.split('\n')).toEqual([
      '📌 Source: GogoAI News (www.gogoai.xin)',
      '🔗 Original: https://www.gogoai.xin/news/1.html',
      '⚠️ Please credit GogoAI when republishing.',
    ]);
  });
});

describe('renderFooter template rules', () => {
  const cases: Array<{ name: string; template: string; credit?: ArticleOverrides['credit']; text: string }> = [
    { name: 'drops a bracket segment whose placeholder is empty', template: 'Source: {name}[ ({site})]', credit: { sourceSite: null }, text: 'Source: GogoAI News' },
    { name: 'keeps a bracket segment whose placeholders are all set', template: 'Source: {name}[ ({site})]', text: 'Source: GogoAI News (www.gogoai.xin)' },
    { name: 'drops a line when a placeholder outside brackets is empty', template: 'A {name}\nLicense: {license}\nB', credit: { license: null }, text: 'A GogoAI News\nB' },
    { name: 'keeps a line whose empty placeholders are all inside brackets', template: 'Credit[: {credit}]', credit: { creditLine: null }, text: 'Credit' },
    { name: 'keeps a bracket segment with no placeholder', template: '{name}[ — thanks]', text: 'GogoAI News — thanks' },
    { name: 'drops a line that ends up blank', template: '[{license}]\n{name}', credit: { license: null }, text: 'GogoAI News' },
    { name: 'treats unknown placeholders as text', template: '{name} {unknown}', text: 'GogoAI News {unknown}' },
    { name: 'treats an unmatched bracket as text', template: '[oops {name}', text: '[oops GogoAI News' },
    { name: 'supports several segments on one line', template: '{name}[ ({site})][ — {license}]', credit: { license: 'CC BY 4.0' }, text: 'GogoAI News (www.gogoai.xin) — CC BY 4.0' },
    { name: 'fills siteUrl, credit and license', template: '{siteUrl} | {credit} | {license}', credit: { license: 'MIT' }, text: 'https://www.gogoai.xin/ | Please credit GogoAI when republishing. | MIT' },
    { name: 'places {via} where the template says, without an extra via line', template: '{name}[ via {via}]', credit: { via: [{ name: 'Up', url: null, feedUrl: null }] }, text: 'GogoAI News via Up' },
    { name: 'adds the via line second when the template has no {via}', template: 'One {name}\nTwo', credit: { via: [{ name: 'Up', url: null, feedUrl: null }, { name: 'Origin', url: null, feedUrl: null }] }, text: 'One GogoAI News\n🔁 Via: Up, Origin\nTwo' },
    { name: 'shows an internationalized site host in Unicode', template: '{site}', credit: { sourceSite: 'https://xn--fiqs8s.example/' }, text: '中国.example' },
    { name: 'collapses line breaks inside values so they cannot add lines', template: '{credit}', credit: { creditLine: 'Line one\n\nline two ' }, text: 'Line one line two' },
    { name: 'is empty when every line is dropped', template: '{license}\n{credit}', credit: { license: null, creditLine: null }, text: '' },
  ];

  it.each(cases)('$name', ({ template, credit, text }) => {
    const footer = renderFooter(template, makeArticle(credit ? { credit } : {}));
    expect(footer.text).toBe(text);
    // The HTML form has the same lines (one <p> each), or nothing at all.
    expect(creditLines(footer.html)).toEqual(text === '' ? [] : text.split('\n'));
    if (text === '') expect(footer.html).toBe('');
  });

  it('drops the credit line of the default template when the source has none', () => {
    const footer = renderFooter(DEFAULT_FOOTER_TEMPLATE, makeArticle({ credit: { creditLine: null } }));
    expect(footer.text.split('\n')).toHaveLength(2);
    expect(footer.text).not.toContain('⚠️');
  });
});

describe('renderFooter HTML form', () => {
  it('wraps the lines in div.byline-credit with an hr separator', () => {
    const { html } = renderFooter(DEFAULT_FOOTER_TEMPLATE, makeArticle());
    expect(html.startsWith('<div class="byline-credit"><hr><p>')).toBe(true);
    expect(html.endsWith('</p></div>')).toBe(true);
  });

  it('links the original URL with an escaped href', () => {
    const url = 'https://www.gogoai.xin/a?x=1&y="2"';
    const { html } = renderFooter('{link}', makeArticle({ url, credit: { originalUrl: url } }));
    const [anchor] = findElements(html, 'a');
    expect(anchor?.attribs['href']).toBe(url);
    expect(html).toContain('href="https://www.gogoai.xin/a?x=1&amp;y=&quot;2&quot;"');
  });

  it.each(['javascript:alert(1)', 'file:///srv/byline/feeds/local.xml'])('neither links nor prints a non-web URL: %s', (url) => {
    const { html, text } = renderFooter('Source: {name}\n{link}', makeArticle({ url, credit: { originalUrl: url } }));
    expect(findElements(html, 'a')).toHaveLength(0);
    expect(text).toBe('Source: GogoAI News');
  });

  it('escapes hostile values and template literals alike', () => {
    const article = makeArticle({ credit: { sourceName: '<img src=x onerror=alert(1)> & "Co"', creditLine: '</p><script>x()</script>' } });
    const template = '<b>{name}</b>\n{credit} <script>';
    const { html, text } = renderFooter(template, article);
    expect(findElements(html, 'img')).toHaveLength(0);
    expect(findElements(html, 'script')).toHaveLength(0);
    expect(findElements(html, 'b')).toHaveLength(0);
    expect(findElements(html, 'p')).toHaveLength(2);
    expect(creditLines(html)).toEqual(text.split('\n'));
    expect(text).toBe('<b><img src=x onerror=alert(1)> & "Co"</b>\n</p><script>x()</script> <script>');
  });

  it('drops characters XML forbids from values', () => {
    const { html, text } = renderFooter('{name}', makeArticle({ credit: { sourceName: 'Bad\u0001Name\uFFFE' } }));
    expect(html).toContain('<p>BadName</p>');
    expect(text).toBe('BadName');
  });
});
