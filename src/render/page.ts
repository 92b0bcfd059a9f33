/**
 * The shared frame of byline's HTML pages (index and sources): doctype, a
 * phone-friendly head, one small inline stylesheet, no script. Also the one
 * way a time is shown on a page.
 */
import { formatHumanUtc, formatIsoUtc } from './dates.js';
import { escapeHtml } from './html-escape.js';

const STYLE = `
:root { color-scheme: light dark; --muted: #666; --line: #ddd; --bad: #b00020; --ok: #1b7f3b; }
@media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #444; --bad: #ff6b81; --ok: #5fd38d; } }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
  margin: 0 auto; max-width: 44rem; padding: 1rem; overflow-wrap: anywhere; }
header p, .meta, .byline-credit, .sources small, dl { color: var(--muted); font-size: .9rem; }
article, section { border-bottom: 1px solid var(--line); padding: .75rem 0; }
article h2, section h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
.byline-credit hr { display: none; }
.byline-credit p { margin: .1rem 0; }
.feeds a { margin-right: .75rem; }
.sources li { margin: .4rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: .25rem 0; }
dd { margin: 0; }
.status-ok { color: var(--ok); }
.status-failing, .status-backing_off, .status-gone { color: var(--bad); }
`;

/** What a page puts into the frame; `head` and `body` are already-escaped HTML. */
export interface PageParts {
  title: string;
  language: string | null;
  head: string;
  body: string;
}

/** A complete HTML document around already-escaped head extras and body. */
export function htmlPage(parts: PageParts): string {
  const lang = parts.language ? ` lang="${escapeHtml(parts.language)}"` : '';
  return `<!DOCTYPE html>
<html${lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
${parts.head}<style>${STYLE}</style>
</head>
<body>
${parts.body}
</body>
</html>
`;
}

/**
 * `<time datetime>` with a readable UTC label. A value that is not a date is
 * shown as text rather than failing the page: health rows are diagnostics.
 */
export function timeHtml(iso: string): string {
  if (Number.isNaN(new Date(iso).getTime())) return escapeHtml(iso);
  return `<time datetime="${escapeHtml(formatIsoUtc(iso))}">${escapeHtml(formatHumanUtc(iso))}</time>`;
}

/** A source status as a styled label (`backing_off` reads "backing off"). */
export function statusHtml(status: string): string {
  return `<span class="status-${escapeHtml(status)}">${escapeHtml(status.replace(/_/g, ' '))}</span>`;
}
