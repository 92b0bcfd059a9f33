/**
 * The checks a source's change must pass before any of it is written: its
 * schema, and what the schema cannot say (everything belongs to the source
 * being committed, no article is written twice or both written and deleted).
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { SourceChangeSchema, type SourceChange, type StoreBackend, type ValidSourceChange } from './types.js';

/** The change, validated; a StoreError naming the source and every problem otherwise. */
export function validateChange(backend: StoreBackend, change: SourceChange): ValidSourceChange {
  const parsed = SourceChangeSchema.safeParse(change);
  const label = `invalid change for source "${String((change as { sourceId?: unknown } | null)?.sourceId)}"`;
  if (!parsed.success) throw new StoreError(`store(${backend}): ${label}: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  const valid = parsed.data;
  const problems: string[] = [];
  if (valid.state.sourceId !== valid.sourceId) problems.push(`state is for source "${valid.state.sourceId}"`);
  const upserted = new Set<string>();
  for (const article of valid.upserts) {
    if (article.sourceId !== valid.sourceId) problems.push(`article "${article.id}" belongs to source "${article.sourceId}"`);
    if (upserted.has(article.id)) problems.push(`article "${article.id}" is upserted twice`);
    upserted.add(article.id);
  }
  for (const id of valid.deletes) if (upserted.has(id)) problems.push(`article "${id}" is both upserted and deleted`);
  for (const id of valid.pruned.ids) if (upserted.has(id)) problems.push(`article "${id}" is both upserted and pruned`);
  if (problems.length > 0) throw new StoreError(`store(${backend}): ${label}: ${problems.join('; ')}`);
  return valid;
}

/**
 * Several changes for one atomic write, each validated as above: one per
 * source, and no article written by two of them (an article that changes
 * sources is written under one and deleted under the other).
 */
export function validateChanges(backend: StoreBackend, changes: readonly SourceChange[]): ValidSourceChange[] {
  const valid = changes.map((change) => validateChange(backend, change));
  if (valid.length === 0) throw new StoreError(`store(${backend}): a commit needs at least one source's change`);
  const sources = new Set<string>();
  const upserted = new Map<string, string>();
  const problems: string[] = [];
  for (const change of valid) {
    if (sources.has(change.sourceId)) problems.push(`source "${change.sourceId}" has two changes`);
    sources.add(change.sourceId);
    for (const article of change.upserts) {
      const other = upserted.get(article.id);
      if (other !== undefined) problems.push(`article "${article.id}" is upserted under "${other}" and "${change.sourceId}"`);
      upserted.set(article.id, change.sourceId);
    }
  }
  if (problems.length > 0) throw new StoreError(`store(${backend}): invalid changes: ${problems.join('; ')}`);
  return valid;
}
