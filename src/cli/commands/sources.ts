/** `byline sources [--json]`: each source's health, at a glance or as JSON. */
import { sourceHealth } from '../../jobs/health.js';
import type { SourceHealth } from '../../model/index.js';
import { openContext, type GlobalOptions } from '../context.js';

function ago(iso: string | null, now: number): string {
  if (!iso) return '-';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 0) return `in ${formatSpan(-seconds)}`;
  return `${formatSpan(seconds)} ago`;
}

function formatSpan(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

/** A fixed-width table; the last column (the problem) is left unpadded. */
export function formatHealthTable(rows: readonly SourceHealth[], now = Date.now()): string {
  const header = ['ID', 'STATUS', 'ITEMS', 'LAST OK', 'NEXT', 'HTTP', 'PROBLEM'];
  const lines = rows.map((row) => [
    row.id,
    row.status,
    String(row.items),
    ago(row.lastSuccessAt, now),
    row.status === 'gone' || row.status === 'disabled' ? '-' : ago(row.nextAttemptAt, now),
    row.lastHttpStatus === null ? '-' : String(row.lastHttpStatus),
    problem(row),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [format(header), ...lines.map(format)].join('\n');
}

function problem(row: SourceHealth): string {
  const parts: string[] = [];
  if (row.lastError && row.status !== 'ok') {
    parts.push(`${row.lastError.code}: ${row.lastError.message} (${row.consecutiveErrors}x)`);
  }
  if (row.redirectedTo) parts.push(`moved permanently to ${row.redirectedTo}: update the config`);
  return parts.join('; ') || '-';
}

export async function sourcesCommand(options: GlobalOptions & { json?: boolean }): Promise<number> {
  const context = await openContext(options, { create: false });
  try {
    const rows = await sourceHealth(context.config, context.store);
    console.log(options.json ? JSON.stringify(rows, null, 2) : formatHealthTable(rows));
    return 0;
  } finally {
    await context.close();
  }
}
