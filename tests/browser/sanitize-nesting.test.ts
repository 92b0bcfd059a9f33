/**
 * Sanitized output read back by a browser (Debian's /usr/bin/chromium driven
 * by playwright-core): for tag soup of every kind, the output placed in a
 * reader's container, with byline's credit footer after it, leaves the footer
 * outside the container and the container holding exactly the output, and the
 * browser builds from it the tree the sanitizer meant. The one rearrangement
 * allowed is the browser's own for tables (content misplaced in a table moved
 * before it, implied row groups, rows and column groups), which is applied to
 * the meant tree before comparing. Skipped when Chromium is not installed.
 */
import fc from 'fast-check';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeContent } from '../../src/normalize/index.js';
import { CHROMIUM, chromiumPresent, launchChromium } from './chromium.js';

const BASE = 'https://blog.example.com/posts/1';

const FRAGMENTS = [
  '<p>', '</p>', '<div>', '</div>', '<br>', '</br>', '<hr>', '<img src="/a.png" alt="">', '<a href="/x">', '</a>', '<a href="/y">',
  '<script>', '</script>', '<style>', '</style>', '<title>', '</title>', '<svg>', '</svg>', '<math>', '<mi>', '</mi>', '<foreignObject>',
  '<g>', '<table>', '</table>', '<tr>', '</tr>', '<td>', '</td>', '<th>', '<tbody>', '<thead>', '<caption>', '</caption>', '<colgroup>',
  '<col span=2>', '<li>', '</li>', '<ul>', '</ul>', '<ol>', '</ol>', '<dl>', '</dl>', '<dd>', '<dt>', '</dd>', '<ruby>', '<rt>', '<rp>',
  '</ruby>', '<rb>', '<section>', '</section>', '<address>', '<center>', '<b>', '</b>', '<i>', '</i>', '<span>', '</span>', '<em>',
  '<strong>', '<blockquote>', '</blockquote>', '<pre>', '</pre>', '<h1>', '</h1>', '<h2>', '</h2>', '<figure>', '<figcaption>',
  '<details>', '<summary>', '<form>', '</form>', '<button>', '</button>', '<select>', '<option>', '</select>', '<input>', '<textarea>',
  '</textarea>', '<head>', '<body>', '</body>', '<html>', '<font color=red>', '<font>', '<noscript>', '</noscript>', '<iframe>',
  '</iframe>', '<object>', '</object>', '<q>', '<code>', '<small>', '<!-- c -->', '<!-- c --!>', 'text', ' ', '\n', 'x', '&amp;',
  '<nobr>', '<marquee>', '</marquee>', '<template>', '</template>', '<frameset>',
  // Written under another name, or left out with their content kept.
  '<nav>', '</nav>', '<article>', '<header>', '<footer>', '<aside>', '<main>', '<hgroup>', '<tt>', '<strike>', '<menu>', '</menu>',
  '<fieldset>', '</fieldset>', '<search>', '<dir>', '<optgroup>', '<rtc>', '<a>', '<img>', '<wbr>', '<tfoot>', '<dialog>',
];

/** The examples of tests/normalize/html-nesting.test.ts, whose old outputs pushed the footer out. */
const EXAMPLES = [
  '<ul><li><div>Point one<li>Point two</ul><p>Rest of article</p>',
  '<dl><dt><div>Term<dd>Def</dl>',
  '<table><p></p><div><table>x',
  '<a href="/1">x<div><a href="/2">y</a></div></a>',
  '<p><b>x<div>y</div></b></p>',
  '<ruby>a<p>b<rt>c</rt></p></ruby>',
  '<table><colgroup> x<col></table>',
  '<ul><li>a<nav>b<li>c</ul>',
  '<dd><footer><q></td><dt>y',
];

/**
 * Run in the page, on every output: where the credit footer lands, the tree
 * the browser builds, and the tree the output means (read as XML, which takes
 * nesting literally, then rearranged as browsers rearrange tables).
 * Source text, as this file is compiled without DOM types.
 */
const READ_BACK = `(outputs) => {
  const STAYS_IN_TABLE = new Set(['caption', 'colgroup', 'col', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th']);
  const TABLE_LEVELS = new Set(['tbody', 'thead', 'tfoot', 'tr']);
  const blank = (node) => node.nodeType === 3 && !/[^\\t\\n\\f\\r ]/.test(node.data);
  const wrapRuns = (parent, names, wrapper) => {
    let run = null;
    for (const child of [...parent.childNodes]) {
      if (child.nodeType === 1 && names.has(child.localName)) {
        if (!run) { run = parent.ownerDocument.createElement(wrapper); parent.insertBefore(run, child); }
        run.appendChild(child);
      } else if (run && blank(child)) run.appendChild(child);
      else run = null;
    }
  };
  const asBrowsersArrangeTables = (element) => {
    for (const child of [...element.children]) asBrowsersArrangeTables(child);
    if (element.localName !== 'table') return;
    const misplaced = [];
    const collect = (level) => {
      for (const child of [...level.childNodes]) {
        if (child.nodeType === 3) { if (!blank(child)) misplaced.push(child); }
        else if (!STAYS_IN_TABLE.has(child.localName)) misplaced.push(child);
        else if (TABLE_LEVELS.has(child.localName)) collect(child);
      }
    };
    collect(element);
    for (const node of misplaced) element.before(node);
    wrapRuns(element, new Set(['col']), 'colgroup');
    for (const level of [element, ...element.querySelectorAll(':scope > tbody, :scope > thead, :scope > tfoot')]) {
      wrapRuns(level, new Set(['td', 'th']), 'tr');
    }
  };
  // A browser drops a newline just after <pre> (and <listing>, written as <pre>): a newline then is written twice.
  const firstNewlineDropped = (element) => {
    for (const pre of element.querySelectorAll('pre')) {
      const first = pre.firstChild;
      if (first && first.nodeType === 3 && first.data.startsWith('\\n')) first.data = first.data.slice(1);
    }
  };
  const serialize = (element) => {
    for (const group of [...element.querySelectorAll('tbody')]) group.replaceWith(...group.childNodes);
    element.normalize();
    return element.innerHTML;
  };
  return outputs.map((html) => {
    const page = new DOMParser().parseFromString(
      '<!doctype html><body><div id="reader">' + html + '<i id="end"></i></div><div class="byline-credit">Credit</div>', 'text/html');
    const reader = page.getElementById('reader');
    const end = page.getElementById('end');
    const credit = page.querySelector('.byline-credit');
    const contained = end.parentNode === reader && credit.parentNode === page.body && credit.previousSibling === reader;
    end.remove();
    const xml = new DOMParser().parseFromString('<div xmlns="http://www.w3.org/1999/xhtml">' + html + '</div>', 'application/xml');
    if (xml.querySelector('parsererror')) return { contained, browser: serialize(reader), meant: 'not well-formed' };
    const meant = page.importNode(xml.documentElement, true);
    asBrowsersArrangeTables(meant);
    firstNewlineDropped(meant);
    return { contained, browser: serialize(reader), meant: serialize(meant) };
  });
}`;

interface ReadBack {
  contained: boolean;
  browser: string;
  meant: string;
}

describe.skipIf(!chromiumPresent)(`sanitized output in a browser${chromiumPresent ? '' : ` (skipped: ${CHROMIUM} not installed)`}`, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('keeps the nesting the sanitizer wrote, and the credit footer outside it', async () => {
    const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 18 }).map((parts) => parts.join(''));
    const inputs = [...EXAMPLES, ...fc.sample(soup, { numRuns: 4000, seed: 20_260_526 })];
    const outputs = inputs.map((input) => sanitizeContent(input, BASE));
    const page = await browser.newPage();
    try {
      const read = (await page.evaluate(`(${READ_BACK})(${JSON.stringify(outputs)})`)) as ReadBack[];
      const misread = read
        .map((result, index) => ({ input: inputs[index], output: outputs[index], ...result }))
        .filter((result) => !result.contained || result.browser !== result.meant);
      expect(misread.slice(0, 5)).toEqual([]);
      // The footer case itself, spelled out.
      expect(read[0]).toEqual({ contained: true, browser: outputs[0], meant: outputs[0] });
    } finally {
      await page.close();
    }
  });
});
