/**
 * What makes a block of an article a licence line of the publisher's own:
 * "License: CC BY 4.0", "This work is licensed under …", "© 2024 Example.
 * CC BY 4.0", "本作品采用…许可协议". The footer's `{license}` line says the
 * same thing, so such a block may stand in for it; a sentence that merely
 * names a licence ("the dataset, licensed under CC BY 4.0, …") says something
 * else and may not.
 *
 * Every pattern here contains a word of {@link LICENSE_HINT}, so a text or
 * markup without one can be ruled out in one pass (credit-detect.ts and
 * credit-prescan.ts rely on it).
 */

/** What a statement of its licence calls a publisher's work. */
const WORK =
  '(?:work|works|article|articles|post|posts|story|stories|piece|text|content|contents|page|pages|blog|site|website|entry|essay|newsletter|writing|material|episode|video|podcast)';

/**
 * What may stand between a work word and its verb: "by X", "on this site",
 * "of this blog", ", unless noted,". Anything else makes the work word part
 * of another thing's name ("the video dataset", "the text-to-video model"),
 * and the sentence is about that thing's licence, not the publisher's.
 */
const AFTER_WORK = '(?![\\w-])(?:(?:,|\\s+(?:by|on|of|in|at|from|for|here|published|written|unless)\\b)[^.。]{0,60}?)?\\s*,?';

/** Whatever opens a line before its label: a bullet, an emoji, a dash. */
const LEAD = '^[^\\p{L}\\p{N}]*';

/**
 * Who a Chinese statement is about, past the site or work it opens with: a
 * `的` may only lead to the work itself ("本站的所有文章"); any other ("本文使用的
 * 数据集") makes the subject something the article uses or names.
 */
const ZH_SUBJECT_REST = '(?:[^。的]|的(?=所有|全部|文章|内容|作品|原创)){0,60}?';

const LICENSE_LINES: readonly RegExp[] = [
  // A label opening the line: "License: CC BY 4.0", "📜 Licence：MIT", "Article licence: …", "Copyright: …"
  // ("Dataset license: …" or an image credit's "…. License: …" labels something else).
  new RegExp(`${LEAD}(?:(?:this|the|our)\\s+)?(?:${WORK}\\s+)?(?:licen[cs]es?|copyright)\\s*[:：]`, 'iu'),
  // A line that opens with it: "Licensed CC-BY 4.0", "Licensed under …".
  /^licen[cs]ed\b/i,
  // "This work (by X) is licensed under …", "All content on this site is available under a … license".
  new RegExp(
    `^(?:this|the|all|our)\\s+(?:\\S+\\s+){0,2}?${WORK}${AFTER_WORK}\\s+(?:is|are)\\s+(?:licen[cs]ed\\b|(?:available|published|released|distributed|shared)\\s+under\\b[^.。]{0,80}\\blicen[cs]e)`,
    'i',
  ),
  // A copyright notice: "© 2024 Example. CC BY 4.0", "(c) 2024 Example" (a bare "(c)" letters a list item).
  /^(?:©|\(c\)\s*\d{4}|copyright\b)/i,
  new RegExp(`${LEAD}(?:本文|本作品|作品|文章|本站|内容)?(?:许可协议|許可協議|授权协议|授權協議|版权声明|版權聲明|许可证|許可證|授权方式|授權方式)\\s*[:：]`, 'u'),
  new RegExp(
    `^(?:本作品|本文|本文章|本博文|本站|本博客|本网站|本網站)${ZH_SUBJECT_REST}(?:采用|採用|使用|基于|基於|遵循|遵守|以)(?!的)[^。]{0,60}?(?:许可|許可|授权|授權|协议|協議)`,
  ),
];

/**
 * A word every licence line contains. Letters and signs only, no spaces, so it
 * occurs in an article's markup wherever it occurs in the article's text
 * (save through a numeric character reference, which the prescan lets through).
 */
export const LICENSE_HINT = /licen[cs]|copyright|©|\(c\)|许可|許可|授权|授權|协议|協議|版权|版權/i;

/** Whether one block's visible text (whitespace collapsed, trimmed) is a licence line. */
export function isLicenseLine(text: string): boolean {
  return LICENSE_HINT.test(text) && LICENSE_LINES.some((pattern) => pattern.test(text));
}
