/**
 * The archive index page (`/archive/`): every complete archive page, oldest
 * first, with the span of time it covers and its three formats, so a person
 * (or a newsletter operator back-filling by hand) can find older items.
 */
import { z } from 'zod';
import { escapeHtml } from './html-escape.js';
import { FeedMetaSchema, FormatUrlsSchema, type FeedMeta } from './meta.js';
import { htmlPage, timeHtml } from './page.js';

/** One archive page as the index lists it. */
export const ArchivePageRowSchema = z.object({
  page: z.number().int().min(1),
  urls: FormatUrlsSchema,
  /**
   * First-seen time of the page's oldest and newest item; null when retention
   * has deleted every item of the page (it stays, empty, so later pages keep
   * their numbers).
   */
  from: z.iso.datetime({ offset: true }).nullable(),
  to: z.iso.datetime({ offset: true }).nullable(),
  items: z.number().int().nonnegative(),
});
export type ArchivePageRow = z.infer<typeof ArchivePageRowSchema>;

function spanHtml(row: ArchivePageRow): string {
  if (row.from === null || row.to === null || row.items === 0) return 'no items left (all expired)';
  return `${timeHtml(row.from)} to ${timeHtml(row.to)}, ${row.items} item${row.items === 1 ? '' : 's'}`;
}

function rowHtml(row: ArchivePageRow): string {
  const { rss, atom, json } = row.urls;
  return `<li>Page ${row.page}: ${spanHtml(row)} · <a href="${escapeHtml(rss)}">RSS</a> <a href="${escapeHtml(atom)}">Atom</a> <a href="${escapeHtml(json)}">JSON Feed</a></li>`;
}

/**
 * Renders the archive index for the site described by `meta`. `pageSize` is
 * how many items a page is cut with; a page shows fewer once retention has
 * deleted some of its items.
 */
export function renderArchiveIndexHtml(meta: FeedMeta, pages: ArchivePageRow[], pageSize: number): string {
  const m = FeedMetaSchema.parse(meta);
  const rows = pages.map((row) => ArchivePageRowSchema.parse(row));
  const list = rows.length > 0 ? `<ol class="sources">\n${rows.map(rowHtml).join('\n')}\n</ol>` : '<p>No archive pages yet.</p>';
  const body = `<header>
<h1>${escapeHtml(m.title)}: archive</h1>
<p>Older items in the order they first appeared, ${escapeHtml(String(pageSize))} per page. Page 1 is the oldest; new items never change a page. · <a href="${escapeHtml(m.selfUrls.html)}">latest news</a></p>
</header>
<main>
${list}
</main>`;
  return htmlPage({ title: `${m.title}: archive`, language: m.language, head: '', body });
}
