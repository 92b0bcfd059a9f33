/**
 * The human front page: a river of news (newest first, as given) where each
 * item shows its title, source, time, summary, a link to its audio or video
 * file when it has one, and its credit footer, followed by
 * the sources and their health. No script, inline CSS only, readable on a
 * phone; every piece of text is escaped.
 */
import type { Article } from '../model/index.js';
import { originalUrl } from './credit.js';
import { renderFooter } from './footer.js';
import { escapeHtml, isWebUrl, linkHtml } from './html-escape.js';
import { enclosureLabel, enclosureType, publishedEnclosure } from './media.js';
import { FeedMetaSchema, SourceRowSchema, type FeedMeta, type SourceRow } from './meta.js';
import { htmlPage, statusHtml, timeHtml } from './page.js';

function headLinks(meta: FeedMeta): string {
  const title = escapeHtml(meta.title);
  const { rss, atom, json, html } = meta.selfUrls;
  return [
    meta.description.trim() ? `<meta name="description" content="${escapeHtml(meta.description)}">` : '',
    `<meta name="generator" content="${escapeHtml(meta.generator)}">`,
    `<link rel="canonical" href="${escapeHtml(html)}">`,
    `<link rel="alternate" type="application/rss+xml" title="${title} (RSS)" href="${escapeHtml(rss)}">`,
    `<link rel="alternate" type="application/atom+xml" title="${title} (Atom)" href="${escapeHtml(atom)}">`,
    `<link rel="alternate" type="application/feed+json" title="${title} (JSON Feed)" href="${escapeHtml(json)}">`,
  ]
    .filter((line) => line !== '')
    .map((line) => `${line}\n`)
    .join('');
}

/** Links to the newsletter profile and the OPML list, when they are published. */
function extraFeeds(meta: FeedMeta): string {
  const { newsletter, opml } = meta.selfUrls;
  const links = [
    newsletter ? `<a href="${escapeHtml(newsletter)}">Newsletter RSS</a>` : '',
    opml ? `<a href="${escapeHtml(opml)}">Sources (OPML)</a>` : '',
  ].filter((link) => link !== '');
  return links.length > 0 ? ` ${links.join(' ')}` : '';
}

/**
 * A plain link to the episode's audio or video file: the browser plays or
 * saves it, and the page stays free of script and of requests to the file's
 * host until the reader asks.
 */
function enclosureHtml(article: Article): string {
  const enclosure = publishedEnclosure(article);
  if (enclosure === null) return '';
  const type = escapeHtml(enclosureType(enclosure));
  return `<p class="enclosure"><a href="${escapeHtml(enclosure.url)}" type="${type}">${escapeHtml(enclosureLabel(enclosure))}</a></p>`;
}

function articleHtml(meta: FeedMeta, article: Article): string {
  const { credit } = article;
  const source = isWebUrl(credit.sourceSite) ? linkHtml(credit.sourceSite, credit.sourceName) : escapeHtml(credit.sourceName);
  const summary = article.summary?.trim() ? `<p>${escapeHtml(article.summary)}</p>` : '';
  const link = originalUrl(article);
  // An untitled item still needs something to click.
  const title = article.title.trim() || link || article.credit.sourceName;
  return [
    '<article>',
    `<h2>${link === null ? escapeHtml(title) : linkHtml(link, title)}</h2>`,
    `<div class="meta">${source} · ${timeHtml(article.published)}</div>`,
    summary,
    enclosureHtml(article),
    renderFooter(meta.footerTemplate, article).html,
    '</article>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function sourceHtml(row: SourceRow): string {
  const name = isWebUrl(row.site) ? linkHtml(row.site, row.name) : escapeHtml(row.name);
  const count = `${row.items} item${row.items === 1 ? '' : 's'}`;
  const success = row.lastSuccessAt ? ` · last success ${timeHtml(row.lastSuccessAt)}` : '';
  const error = row.lastError
    ? `<br><small>last error${row.lastError.at ? ` ${timeHtml(row.lastError.at)}` : ''}: <code>${escapeHtml(row.lastError.code)}</code> ${escapeHtml(row.lastError.message)}</small>`
    : '';
  return `<li>${name}: ${statusHtml(row.status)} · ${count}${success}${error}</li>`;
}

/**
 * Renders the index page. `meta` and `sources` are validated with their
 * schemas; articles are shown in the order given.
 */
export function renderIndexHtml(meta: FeedMeta, articles: Article[], sources: SourceRow[]): string {
  const m = FeedMetaSchema.parse(meta);
  const rows = sources.map((row) => SourceRowSchema.parse(row));
  const { rss, atom, json } = m.selfUrls;
  const description = m.description.trim() ? `<p>${escapeHtml(m.description)}</p>\n` : '';
  const river = articles.length > 0 ? articles.map((a) => articleHtml(m, a)).join('\n') : '<p>No articles yet.</p>';
  const sourceList = rows.length > 0 ? `<ul class="sources">\n${rows.map(sourceHtml).join('\n')}\n</ul>` : '<p>No sources configured.</p>';
  const body = `<header>
<h1>${linkHtml(m.homeUrl, m.title)}</h1>
${description}<p class="feeds">Subscribe: <a href="${escapeHtml(rss)}">RSS</a> <a href="${escapeHtml(atom)}">Atom</a> <a href="${escapeHtml(json)}">JSON Feed</a>${extraFeeds(m)} · updated ${timeHtml(m.updated)}</p>
</header>
<main>
${river}
</main>
<footer>
<h2>Sources</h2>
${sourceList}
</footer>`;
  return htmlPage({ title: m.title, language: m.language, head: headLinks(m), body });
}
