/**
 * WebSub publisher ping: after a cycle that added items, tell the configured
 * hub that each feed changed (`hub.mode=publish&hub.url=<feed URL>`, one POST
 * per feed, the form most hubs accept), so subscribers get the new items
 * pushed within seconds instead of at their next poll. A failed ping is
 * reported and otherwise harmless: readers still poll.
 */
import { describeError } from '../errors.js';
import { sendOutbound } from './outbound.js';

/** Options of {@link pingHub}. */
export interface PingOptions {
  timeoutMs?: number;
  /**
   * The hub is the operator's own setting, not a feed's, so it may be on a
   * private network; callers pass the fetch setting to stay consistent.
   */
  allowPrivateAddresses: boolean;
  userAgent?: string;
  signal?: AbortSignal;
}

/** The result of pinging the hub about one feed URL. */
export interface PingResult {
  feedUrl: string;
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Pings `hubUrl` once per feed URL (in order, one at a time); never rejects. */
export async function pingHub(hubUrl: string, feedUrls: readonly string[], options: PingOptions): Promise<PingResult[]> {
  const results: PingResult[] = [];
  for (const feedUrl of feedUrls) {
    const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }).toString();
    try {
      const response = await sendOutbound({
        method: 'POST',
        url: hubUrl,
        body,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
        },
        timeoutMs: options.timeoutMs ?? 5000,
        allowPrivateAddresses: options.allowPrivateAddresses,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const ok = response.status >= 200 && response.status < 300;
      results.push({ feedUrl, ok, status: response.status, error: ok ? null : `hub answered HTTP ${response.status}` });
    } catch (error) {
      results.push({ feedUrl, ok: false, status: null, error: describeError(error).message });
    }
  }
  return results;
}
