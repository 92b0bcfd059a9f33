/**
 * The operator's sources page: every configured source with its full health
 * (status, last success and attempt, HTTP status, error streak, next check,
 * last error, permanent redirects to fix in the config). Same frame as the
 * index page: no script, escaped text, readable on a phone.
 */
import { SourceHealthSchema, type SourceHealth } from '../model/index.js';
import { escapeHtml, isWebUrl, linkHtml } from './html-escape.js';
import { htmlPage, statusHtml, timeHtml } from './page.js';

function field(label: string, valueHtml: string | null): string {
  return valueHtml === null ? '' : `<dt>${escapeHtml(label)}</dt><dd>${valueHtml}</dd>`;
}

function urlHtml(url: string): string {
  return isWebUrl(url) ? linkHtml(url) : escapeHtml(url);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function sourceSection(row: SourceHealth): string {
  const name = isWebUrl(row.site) ? linkHtml(row.site, row.name) : escapeHtml(row.name);
  const error = row.lastError
    ? `${timeHtml(row.lastError.at)}: <code>${escapeHtml(row.lastError.code)}</code> ${escapeHtml(row.lastError.message)}`
    : null;
  const fields = [
    field('Status', statusHtml(row.status)),
    field('Feed', urlHtml(row.url)),
    field('Moved to', row.redirectedTo ? `${urlHtml(row.redirectedTo)} (update the config)` : null),
    field('Items', escapeHtml(String(row.items))),
    field('Last success', row.lastSuccessAt ? timeHtml(row.lastSuccessAt) : 'never'),
    field('Last attempt', row.lastAttemptAt ? timeHtml(row.lastAttemptAt) : 'never'),
    field('HTTP status', row.lastHttpStatus === null ? null : escapeHtml(String(row.lastHttpStatus))),
    field('Errors in a row', row.consecutiveErrors > 0 ? escapeHtml(String(row.consecutiveErrors)) : null),
    field('Next check', row.nextAttemptAt ? timeHtml(row.nextAttemptAt) : null),
    field('Fetched', escapeHtml(formatBytes(row.bytesFetched))),
    field('Last error', error),
  ].join('');
  return `<section id="source-${escapeHtml(row.id)}">\n<h2>${name}</h2>\n<dl>${fields}</dl>\n</section>`;
}

/**
 * Renders the sources health page for the site titled `title`. Rows are
 * validated with SourceHealthSchema and shown in the order given (config order).
 */
export function renderSourcesHtml(title: string, rows: SourceHealth[]): string {
  const parsed = rows.map((row) => SourceHealthSchema.parse(row));
  const failing = parsed.filter((row) => row.status === 'failing' || row.status === 'backing_off' || row.status === 'gone').length;
  const summary = `${parsed.length} source${parsed.length === 1 ? '' : 's'}, ${failing} failing`;
  const list = parsed.length > 0 ? parsed.map(sourceSection).join('\n') : '<p>No sources configured.</p>';
  const body = `<header>
<h1>${escapeHtml(title)}: sources</h1>
<p>${escapeHtml(summary)} · <a href="./">latest news</a></p>
</header>
<main>
${list}
</main>`;
  return htmlPage({ title: `${title}: sources`, language: null, head: '', body });
}
