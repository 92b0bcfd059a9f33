/**
 * Deterministic feeds for the benchmarks: the same seed gives the same bytes,
 * so byline and each baseline read identical documents. Items look like what
 * AI-industry sources publish: a title, a tracked link, a short description and
 * about 5 KB of article HTML with links, images, lists, code and the odd thing
 * a sanitizer must remove.
 */

/** A small, fast seeded PRNG (mulberry32): deterministic, not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'model inference training weights benchmark agent reasoning token context window latency throughput ' +
  'dataset evaluation alignment safety cluster accelerator release preview open research paper lab ' +
  'startup funding round compute scaling multimodal vision speech retrieval embedding fine-tuning ' +
  'distillation quantization sparse mixture experts policy regulation chip memory bandwidth serving ' +
  'developer platform API pricing enterprise customer partnership robotics simulation coding assistant'
).split(' ');

/** Shape of the generated corpus. */
export interface GeneratorOptions {
  seed: number;
  items: number;
  /** Approximate size of each item's HTML body, in bytes. */
  htmlBytes: number;
}

export const DEFAULT_GENERATOR: GeneratorOptions = { seed: 20261126, items: 50, htmlBytes: 5000 };

/** Publication times count back from here, so every run produces the same documents. */
const EPOCH = Date.UTC(2026, 0, 15, 12, 0, 0);

function words(random: () => number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!);
  return out.join(' ');
}

function paragraph(random: () => number, feed: number, n: number): string {
  const kind = Math.floor(random() * 8);
  const text = words(random, 40 + Math.floor(random() * 30));
  switch (kind) {
    case 0:
      return `<p>${text} <a href="/research/${feed}-${n}?utm_source=rss&amp;ref=feed">read the paper</a> &mdash; ${words(random, 12)}.</p>`;
    case 1:
      return `<p><img src="/images/${feed}/${n}.jpg" width="1200" height="630" alt="${words(random, 4)}" srcset="/images/${feed}/${n}-600.jpg 600w, /images/${feed}/${n}.jpg 1200w"> ${text}</p>`;
    case 2:
      return `<ul><li>${words(random, 10)}</li><li><strong>${words(random, 6)}</strong> ${words(random, 10)}</li><li><em>${words(random, 8)}</em></li></ul>`;
    case 3:
      return `<pre><code class="language-python">from lab import Model\nmodel = Model.load("${words(random, 1)}-${n}")\nprint(model.generate("${words(random, 5)}"))</code></pre>`;
    case 4:
      return `<blockquote><p>&ldquo;${text}&rdquo;</p><cite>${words(random, 2)}</cite></blockquote>`;
    case 5:
      return `<h2 id="s${n}">${words(random, 5)}</h2><p style="color:red" onclick="track()">${text}</p>`;
    case 6:
      return `<p>${text} <a href="https://partner.example/${n}" target="_blank">partner</a>.</p><script>track(${n})</script>`;
    default:
      return `<p>${text} &amp; ${words(random, 10)} <span class="x">${words(random, 6)}</span> 2&gt;1.</p>`;
  }
}

function html(random: () => number, feed: number, targetBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < targetBytes; n++) {
    const part = paragraph(random, feed, n);
    parts.push(part);
    size += part.length;
  }
  return parts.join('\n');
}

/** One RSS 2.0 document: feed `index` of the corpus. */
export function generateFeed(index: number, options: GeneratorOptions = DEFAULT_GENERATOR): string {
  const random = seededRandom(options.seed * 7919 + index);
  const site = `https://source-${index}.example`;
  const items: string[] = [];
  for (let j = 0; j < options.items; j++) {
    const title = words(random, 6 + Math.floor(random() * 6));
    const slug = title.split(' ').slice(0, 4).join('-');
    const published = new Date(EPOCH - (index * options.items + j) * 37 * 60_000).toUTCString();
    const body = html(random, index, options.htmlBytes);
    items.push(
      [
        '<item>',
        `<title>${title.replace(/^./, (c) => c.toUpperCase())} &amp; more</title>`,
        `<link>${site}/posts/${j}-${slug}?utm_source=rss&amp;utm_medium=feed</link>`,
        `<guid isPermaLink="false">source-${index}-item-${j}</guid>`,
        `<pubDate>${published}</pubDate>`,
        `<dc:creator>${words(random, 2)}</dc:creator>`,
        `<category>${words(random, 1)}</category><category>${words(random, 1)}</category>`,
        `<description>${words(random, 30)}</description>`,
        `<content:encoded><![CDATA[${body}]]></content:encoded>`,
        j % 5 === 0 ? `<enclosure url="${site}/images/${j}.jpg" type="image/jpeg" length="${120000 + j}"/>` : '',
        '</item>',
      ].join(''),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>Bench Source ${index}</title>`,
    `<link>${site}/</link>`,
    `<description>Generated feed ${index} for byline's benchmarks</description>`,
    '<language>en</language>',
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}

/** Feeds 0..count-1 as UTF-8 bytes. */
export function generateCorpus(count: number, options: GeneratorOptions = DEFAULT_GENERATOR): Buffer[] {
  return Array.from({ length: count }, (_, index) => Buffer.from(generateFeed(index, options)));
}
