/** One log line per event, logfmt-style, so operators can grep and parse them. */
import type { RefreshOutcome } from '../jobs/refresh-source.js';
import type { TakeoverReport } from '../jobs/takeovers.js';

function quote(value: string | number | null): string {
  const text = value === null ? '-' : String(value);
  return /^[\w.:/@+-]*$/.test(text) && text !== '' ? text : JSON.stringify(text);
}

/** `key=value` pairs after an ISO timestamp. */
export function logLine(fields: Record<string, string | number | null>): string {
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${quote(value)}`);
  return `${new Date().toISOString()} ${pairs.join(' ')}`;
}

/** The line a cycle logs for one source. */
export function outcomeLine(outcome: RefreshOutcome): string {
  return logLine({
    source: outcome.sourceId,
    status: outcome.status,
    new: outcome.added,
    updated: outcome.updated,
    http: outcome.httpStatus,
    ms: outcome.elapsedMs,
    ...(outcome.error ? { code: outcome.error.code, error: outcome.error.message } : {}),
  });
}

/** The lines of a cycle's takeovers: each article the publisher's own feed took from an alerts feed, and each failure. */
export function takeoverLines(report: TakeoverReport): string[] {
  const lines = report.moved.map((moved) => logLine({ event: 'takeover', guid: moved.guid, from: moved.from, to: moved.to }));
  for (const failed of report.failed) lines.push(logLine({ event: 'takeover_error', guid: failed.guid, from: failed.from, to: failed.to, error: failed.error }));
  if (report.error !== null) lines.push(logLine({ event: 'takeover_error', error: report.error }));
  return lines;
}
