/**
 * The two quick checks in front of credit detection, the markup prescan and
 * the whole-text check: each may let an article through needlessly, but
 * neither may rule one out that the next step would find a marker in,
 * whatever tags, entities, whitespace and letter case the markup uses. And
 * the prescan must actually rule out ordinary articles, or it saves nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentBlocks, findCreditMentions, textMayMentionCredit } from '../../src/render/credit-detect.js';
import { mayHaveCreditMarker } from '../../src/render/credit-prescan.js';

/** Words of the markers (and near misses), in random letter case. */
const word = fc
  .constantFrom(
    'source', 'sources', 'image credit', 'credit', 'credits', 'via', 'originally published', 'original', 'article', 'link', 'post', 'story', 'url',
    'read', 'the', 'full', 'please', 'attribute', 'cite', 'when', 'republishing', 'reposting', 'sharing', 'reprinting', 'republished', 'reprint',
    'repost', 'with', 'permission', 'on', 'at', 'by', 'in', 'resource', 'unoriginal', 'viable',
    '来源', '來源', '出处', '稿源', '转自', '轉自', '转载', '原载', '原文', '链接', '阅读', '请注明', '如需',
    'license', 'licence', 'licensed', 'licenses', 'copyright', '©', '(c)', 'this', 'work', 'is', 'under', 'available',
    '许可协议', '版权声明', '本作品', '采用', '协议',
  )
  .chain((text) => fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')));
/** A block's text as markup of its own, so findCreditMentions reads exactly that text. */
const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What may stand between words in markup. */
const between = fc.constantFrom(
  ' ', '', '  ', '\n', '\t', '\u00a0', '\u3000', '&nbsp;', '&NBSP;', '<b>', '</b>', '<a href="https://x.example/source:">', '</a>', '<br>', '<br/>',
  ':', '：', ' :', '&amp;', '&lt;', '&#58;', '&#x3A;', '&#115;', '.', '<', '>', '<x', 'x>', '<p class="a>b">', '_', '1',
);
const markup = fc.array(fc.oneof(word, between), { maxLength: 14 }).map((parts) => parts.join(''));
/** The same without stray `<` and `>`: markup as byline's sanitizer writes it, which is all credit-detect.ts reads. */
const sanitizedMarkup = fc
  .array(fc.oneof(word, between.filter((piece) => !/^(?:<|>|<x|x>)$/.test(piece) && !piece.includes('a>b'))), { maxLength: 14 })
  .map((parts) => parts.join(''));

describe('textMayMentionCredit', () => {
  it('finds every marker that a block of the content carries', () => {
    fc.assert(
      fc.property(sanitizedMarkup, (html) => {
        const carried = contentBlocks(html).some((block) => findCreditMentions(`<p>${escapeText(block.text)}</p>`).length > 0);
        if (carried) expect(textMayMentionCredit(html)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('mayHaveCreditMarker', () => {
  it('never rules out markup whose text carries a marker', () => {
    fc.assert(
      fc.property(markup, (html) => {
        if (textMayMentionCredit(html)) expect(mayHaveCreditMarker(html)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['<p>Source: GogoAI</p>', true],
    ['<p>SOURCE<b></b>&nbsp;\n：x</p>', true],
    ['<p>Read the original<br>article</p>', true],
    ['<p>Read the <a href="https://x.example/a">original</a> article</p>', true],
    ['<p>please</b>\n <i>credit</i> us</p>', true],
    ['<p>Please<br>credit us</p>', true],
    ['<p>originally published&NBSP;at x</p>', true],
    ['<p>please&nbsp;cite</p>', true],
    ['<p>转载请注明出处</p>', true],
    ['<p>&#83;ource: spelled with a reference</p>', true],
    ['<p>Open-source models <a href="https://source.example/a:b">shipped</a> in full.</p>', false],
    ['<h2>Results</h2><p>Latency fell 40% when batching; see <a href="https://x.example/post/1">the post</a>.</p>', false],
    ['<p>中文内容，没有任何署名。</p>', false],
    ['<p>License<b>:</b> CC BY 4.0</p>', true],
    ['<p>© 2024 Example</p>', true],
  ])('%s -> %s', (html, expected) => {
    expect(mayHaveCreditMarker(html)).toBe(expected);
  });
});
