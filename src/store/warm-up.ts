/**
 * zod compiles a fast path for each object schema the first time it parses
 * one, then V8 compiles that code in turn. For a commit (a source change with
 * fifty articles) the first validation took ~40 ms against ~1 ms later: paid
 * on the event loop, inside the first cycle, it was that cycle's longest
 * stall. Parsing shapes with every nested object present (all of them
 * invalid: nothing here is ever stored) does that work once when a store
 * opens instead.
 */
import { AlertsRecordSchema, ArticleRecordSchema, IndexRecordSchema, StateRecordSchema } from './codec.js';
import { SourceChangeSchema } from './types.js';

let compiled = false;

/** Compiles the validators of commits and reads; once per thread, however many stores open. */
export function compileValidators(): void {
  if (compiled) return;
  compiled = true;
  const article = { credit: { via: [{}] }, image: {} };
  const alert = { error: {} };
  const state = { lastError: {} };
  SourceChangeSchema.safeParse({ sourceId: '', state, upserts: [article], deletes: [''], aliases: { '': '' }, alerts: [alert] });
  ArticleRecordSchema.safeParse(article);
  StateRecordSchema.safeParse(state);
  AlertsRecordSchema.safeParse([alert]);
  IndexRecordSchema.safeParse([{}]);
}
