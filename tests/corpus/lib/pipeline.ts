/**
 * byline's reading pipeline as the refresh job runs it, on bytes from disk:
 * decode, parse, normalize. Errors come back as values, so a comparison can
 * tell a typed ParseError (a handled outcome) from a crash (a bug).
 */
import { ParseError } from '../../../src/errors.js';
import type { Candidate, RawFeed, Source } from '../../../src/model/index.js';
import { normalizeFeed } from '../../../src/normalize/index.js';
import { decodeFeedBytes, parseFeedText } from '../../../src/parse/index.js';

/** A fixed clock, so first-seen dates and the future-date cap are reproducible. */
export const CORPUS_NOW = new Date('2030-01-01T00:00:00.000Z');

/** The Source every corpus document is read as. */
export function corpusSource(feedUrl: string): Source {
  return { id: 'corpus', name: 'Corpus document', url: feedUrl, enabled: true };
}

/** What byline made of one document. */
export type PipelineResult =
  | { kind: 'ok'; encoding: string; text: string; raw: RawFeed; candidates: Candidate[] }
  | { kind: 'parse_error'; encoding: string; text: string; error: ParseError }
  | { kind: 'crash'; error: unknown };

/** Decode + parse + normalize, as src/jobs/refresh-source.ts composes them. */
export async function runPipeline(
  bytes: Uint8Array,
  options: { feedUrl: string; contentType?: string | null },
): Promise<PipelineResult> {
  let decoded: { text: string; encoding: string };
  try {
    decoded = decodeFeedBytes(bytes, options.contentType ?? null);
  } catch (error) {
    return { kind: 'crash', error };
  }
  try {
    const raw = await parseFeedText(decoded.text, { contentType: options.contentType ?? null });
    const candidates = normalizeFeed(raw, { source: corpusSource(options.feedUrl), feedUrl: options.feedUrl, now: CORPUS_NOW });
    return { kind: 'ok', ...decoded, raw, candidates };
  } catch (error) {
    if (error instanceof ParseError) return { kind: 'parse_error', ...decoded, error };
    return { kind: 'crash', error };
  }
}
