/** Plain-text fields: htmlToText, title cleaning and fallback, summary, authors, categories. */
import { describe, expect, it } from 'vitest';
import { cleanAuthors, cleanCategories, cleanSummary, cleanTitle, htmlToText, truncateText } from '../../src/normalize/index.js';

describe('htmlToText', () => {
  it.each([
    ['Plain title', 'Plain title'],
    ['AT&amp;T buys &quot;X&quot; &#8211; news', 'AT&T buys "X" – news'],
    ['&lt;b&gt;escaped&lt;/b&gt; markup', '<b>escaped</b> markup'],
    ['&amp;lt;double&amp;gt;', '&lt;double&gt;'],
    ['<b>Bold</b> and <i>italic</i>', 'Bold and italic'],
    ['<![CDATA[Wrapped <em>title</em>]]>', 'Wrapped title'],
    ['<![CDATA[unterminated', 'unterminated'],
    ['  lots \n\t of   space\u00a0here\u3000too  ', 'lots of space here too'],
    ['<p>one</p><p>two</p><br>three<li>four', 'one two three four'],
    ['<script>alert(1)</script>Visible<style>p{}</style>', 'Visible'],
    ['OpenAI 发布 GPT-5：推理能力大幅提升', 'OpenAI 发布 GPT-5：推理能力大幅提升'],
    ['<span>中文</span>标题&nbsp;测试', '中文标题 测试'],
    ['Emoji 🚀 survives', 'Emoji 🚀 survives'],
    ['a < b and c > d', 'a < b and c > d'],
    ['zero\u200bwidth\ufeff and \u0007bell', 'zerowidth and bell'],
    ['', ''],
  ] as const)('%j', (input, expected) => {
    expect(htmlToText(input)).toBe(expected);
  });
});

describe('truncateText', () => {
  it('leaves short text alone', () => {
    expect(truncateText('short', 10)).toBe('short');
  });
  it('cuts at a word with an ellipsis', () => {
    expect(truncateText('The quick brown fox jumps over the lazy dog', 20)).toBe('The quick brown fox…');
  });
  it('cuts CJK text at the limit', () => {
    expect(truncateText('一二三四五六七八九十', 4)).toBe('一二三四…');
  });
  it('never splits a letter from its marks, a flag or an emoji sequence', () => {
    // Thai has no spaces between words; ที่ is one character of three code points.
    expect(truncateText('ครั้งที่สองของการประชุม', 7)).toBe('ครั้ง…');
    expect(truncateText('ab🇺🇸 flags', 3)).toBe('ab…');
    expect(truncateText('ab👨‍👩‍👧 family', 5)).toBe('ab…');
    expect(truncateText('cafe\u0301 au lait', 4)).toBe('caf…');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateText('ab🚀🚀🚀', 3);
    expect(cut).toBe('ab…');
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('cleanTitle', () => {
  it('uses the title as plain text', () => {
    expect(cleanTitle('<![CDATA[Big &amp; <b>bold</b>]]>', 'body', 'https://x.example/')).toBe('Big & bold');
  });
  it('derives a title from the body text when the title is empty', () => {
    const body = 'Researchers released a new open-weight model today that beats every previous benchmark result by a wide margin';
    const title = cleanTitle('  <p> </p> ', body, 'https://x.example/');
    expect(title.length).toBeLessThanOrEqual(81);
    expect(title.endsWith('…')).toBe(true);
    expect(body.startsWith(title.slice(0, -1))).toBe(true);
    expect(title).not.toMatch(/\s…$/);
  });
  it('falls back to the URL when there is no text at all', () => {
    expect(cleanTitle(null, '', 'https://x.example/a')).toBe('https://x.example/a');
  });
  it('preserves Chinese titles', () => {
    expect(cleanTitle('  深度求索发布新模型  ', '', 'https://x.example/')).toBe('深度求索发布新模型');
  });
});

describe('cleanSummary', () => {
  it('uses the source summary when it differs from the content', () => {
    expect(cleanSummary('<p>A teaser.</p>', 'The whole article text.')).toBe('A teaser.');
  });
  it('derives from the content when the summary repeats it', () => {
    expect(cleanSummary('<p>Same text.</p>', 'Same text.')).toBe('Same text.');
  });
  it('cuts long text at about 300 characters, at a word', () => {
    const content = 'word '.repeat(200).trim();
    const summary = cleanSummary(null, content);
    expect(summary?.length).toBeLessThanOrEqual(301);
    expect(summary?.length).toBeGreaterThan(250);
    expect(summary?.endsWith('word…')).toBe(true);
  });
  it('is null only when there is no text', () => {
    expect(cleanSummary(null, '')).toBeNull();
    expect(cleanSummary('<p> </p>', '')).toBeNull();
    expect(cleanSummary('x', '')).toBe('x');
  });
});

describe('cleanAuthors', () => {
  it.each([
    [['Jane Doe'], ['Jane Doe']],
    [['  Jane Doe  ', 'jane doe', 'John'], ['Jane Doe', 'John']],
    [['jane@example.com (Jane Doe)'], ['Jane Doe']],
    [['Jane Doe <jane@example.com>'], ['Jane Doe']],
    [['Jane Doe (jane@example.com)'], ['Jane Doe']],
    [['Jane Doe (mailto:jane+feeds@example.com)'], ['Jane Doe']],
    [['Jane Doe (Editor)'], ['Jane Doe (Editor)']],
    [['"Jane Doe" &lt;jane@example.com&gt;'], ['Jane Doe']],
    [['jane@example.com'], ['jane@example.com']],
    [['mailto:jane@example.com'], ['jane@example.com']],
    [['<b>Bold</b> Author &amp; Co'], ['Bold Author & Co']],
    [['', '   ', 'Real'], ['Real']],
    [['张三', '张三'], ['张三']],
  ] as const)('%j', (input, expected) => {
    expect(cleanAuthors(input)).toEqual(expected);
  });
});

describe('cleanCategories', () => {
  it('trims, decodes and de-duplicates', () => {
    expect(cleanCategories([' AI ', 'ai', 'Machine &amp; Learning', '', '<b>LLM</b>', '人工智能'])).toEqual([
      'AI',
      'Machine & Learning',
      'LLM',
      '人工智能',
    ]);
  });
});
