/**
 * Which health transitions deserve an operator alert, pure: a source starting
 * to fail, recovering, going away for good (410), or moving permanently.
 * Repeated failures of an already failing source raise nothing new.
 */
import { withoutCredentials, type Alert, type AlertKind, type Source, type SourceState } from '../model/index.js';

const FAILING: ReadonlySet<SourceState['status']> = new Set(['failing', 'backing_off']);

function make(source: Source, kind: AlertKind, at: string, message: string, error: Alert['error']): Alert {
  return { id: `${source.id}:${kind}:${at}`, sourceId: source.id, kind, at, message, error };
}

/** The alerts raised by going from `previous` to `next` in one refresh. */
export function healthAlerts(source: Source, previous: SourceState, next: SourceState, at: string): Alert[] {
  const alerts: Alert[] = [];
  const error = next.lastError ? { code: next.lastError.code, message: next.lastError.message } : null;
  if (next.status === 'gone' && previous.status !== 'gone') {
    alerts.push(make(source, 'gone', at, `${source.name} is gone (HTTP 410): polling stopped; remove it or change its URL in the config.`, error));
  } else if (FAILING.has(next.status) && !FAILING.has(previous.status)) {
    alerts.push(make(source, 'failing', at, `${source.name} started failing: ${error?.message ?? 'unknown error'}.`, error));
  } else if (next.status === 'ok' && (FAILING.has(previous.status) || previous.status === 'gone')) {
    const attempts = previous.consecutiveErrors;
    alerts.push(make(source, 'recovered', at, `${source.name} recovered after ${attempts} failed attempt${attempts === 1 ? '' : 's'}.`, null));
  }
  if (next.redirectedTo && next.redirectedTo !== previous.redirectedTo) {
    alerts.push(make(source, 'moved', at, `${source.name} moved permanently to ${withoutCredentials(next.redirectedTo)}: update its url in the config.`, null));
  }
  return alerts;
}
