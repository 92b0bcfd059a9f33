/**
 * `byline rename-source OLD NEW`: after an operator changes a source's id in
 * the config, moves what the store holds under the old id (articles, the
 * aliases that recognise them, state, index, alerts) to the new one.
 * Without it the articles stay under the old id, unseen, and their aliases
 * make the feed's items "known" to the new one, which then shows none.
 * Holds the cycle lock, so it fails at once, moving nothing, while a cycle runs.
 *
 * With `--merge`, for a new id a cycle has already stored records under:
 * the old id's records are combined with them (store/source-merge.ts), each
 * item kept once under the GUID first published, its content combined as a
 * cycle merges a fresh reading (pipeline's mergeArticle).
 */
import { z } from 'zod';
import { BylineError } from '../../errors.js';
import { withCycleLock } from '../../jobs/cycle-lock.js';
import { SourceSchema } from '../../model/index.js';
import { mergeArticle } from '../../pipeline/index.js';
import type { SourceMerge, SourceRename } from '../../store/index.js';
import { loadFrom, openStore, type GlobalOptions } from '../context.js';

export interface RenameSourceOptions extends GlobalOptions {
  from: string;
  to: string;
  /** Combine the old id's records with those the new id already has, rather than refuse. */
  merge?: boolean;
}

/** Why the two ids cannot be used (a usage error), or null. */
export function idsProblem(from: string, to: string): string | null {
  for (const [name, id] of [['old-id', from], ['new-id', to]] as const) {
    const parsed = SourceSchema.shape.id.safeParse(id);
    if (!parsed.success) return `${name} '${id}' is not a source id: ${z.prettifyError(parsed.error).replace(/^✖ /, '')}`;
  }
  return from === to ? `old-id and new-id are both '${from}'` : null;
}

export async function renameSourceCommand(options: RenameSourceOptions): Promise<number> {
  const { from, to } = options;
  // A store that does not exist holds nothing to move: creating one would only hide a mistyped --store.
  const store = await openStore(options, { create: false });
  try {
    const onWarning = (message: string): void => console.error(`byline: ${message}`);
    if (options.merge === true) {
      console.log(mergedLine(from, to, await withCycleLock(store, () => store.mergeSource(from, to, mergeArticle), { onWarning })));
    } else {
      console.log(movedLine(from, to, await withCycleLock(store, () => store.renameSource(from, to), { onWarning })));
    }
  } finally {
    await store.close();
  }
  for (const note of configNotes(options)) console.error(`byline: ${note}`);
  return 0;
}

function movedLine(from: string, to: string, moved: SourceRename): string {
  return (
    `moved source "${from}" to "${to}": ${moved.articles} article(s), ${moved.tombstones} deleted article(s) kept so they do not return, ` +
    `${moved.aliases} alias(es), and its state, index and alerts`
  );
}

function mergedLine(from: string, to: string, merged: SourceMerge): string {
  return (
    `merged source "${from}" into "${to}": ${merged.articles} article(s), ${merged.tombstones} deleted article(s) kept so they do not return, ` +
    `${merged.aliases} alias(es); ${merged.bothHeld} item(s) both held kept once under the GUID first published ` +
    `(${merged.duplicates} duplicate(s) under "${to}" removed); states, indexes, alerts and alias records combined; ` +
    `"${to}" now holds ${merged.stored} article(s)`
  );
}

/** What the config still has to say for the rename to take: the next cycle reads the ids it names. */
function configNotes(options: RenameSourceOptions): string[] {
  let ids: Set<string>;
  try {
    ids = new Set(loadFrom(options).sources.map((source) => source.id));
  } catch (error) {
    // The rename stands whatever the config's state; `byline check` reports an invalid one.
    if (error instanceof BylineError) return [`the config could not be read to check the source ids (${error.code}); run byline check`];
    throw error;
  }
  const notes: string[] = [];
  if (!ids.has(options.to)) notes.push(`the config has no source "${options.to}" yet: give the source that id, or its articles stay unseen`);
  if (ids.has(options.from)) notes.push(`the config still has a source "${options.from}": change its id there too, or a cycle stores its state anew and the rename must be undone by hand`);
  return notes;
}
