/** One log line per event, logfmt-style, so operators can grep and parse them. */
import type { RefreshOutcome } from '../jobs/refresh-source.js';

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
