/**
 * What the store writes under which key, and how values cross the keyv
 * boundary: our own (de)serializer that never throws, so a corrupt value
 * reaches the typed layer and becomes a StoreError naming its key instead of
 * a bare SyntaxError from deep inside keyv.
 */
import { z } from 'zod';
import { AlertSchema, ArticleSchema, SourceAliasesSchema, SourceStateSchema } from '../model/index.js';
import type { DeserializedData } from 'keyv';
import { IndexEntrySchema } from './types.js';

/** The keyv namespace every byline key lives in. */
export const NAMESPACE = 'byline';

/** Key layout (before the backend's namespace prefix). */
export const keys = {
  /**
   * An article sits under its source: a commit's new articles then land side
   * by side in a store sorted by key (see article-layout.ts). Source ids are
   * slugs, so the first `:` after `article:` ends the source id.
   */
  article: (sourceId: string, id: string): string => `article:${sourceId}:${id}`,
  alias: (aliasKey: string): string => `alias:${aliasKey}`,
  state: (sourceId: string): string => `state:${sourceId}`,
  index: (sourceId: string): string => `index:${sourceId}`,
  alerts: (sourceId: string): string => `alerts:${sourceId}`,
  /** The alias keys the source wrote, per article id (model/source-aliases.ts). */
  sourceAliases: (sourceId: string): string => `aliases-of:${sourceId}`,
  /** The archive's fixed page boundaries (one record for the whole store). */
  archiveLayout: 'archive:layout',
};

/**
 * What remains of a deleted article. Keeping a record (rather than removing
 * the key) makes a commit a pure multi-key write, which both backends apply
 * atomically, and tells a reader the id once existed.
 */
export const TombstoneSchema = z.object({
  tombstone: z.literal(true),
  id: z.string().min(1),
  sourceId: z.string(),
  deletedAt: z.iso.datetime({ offset: true }),
});
export type Tombstone = z.infer<typeof TombstoneSchema>;

/*
 * The record schemas are compiled (z.compile): zod generates one flat
 * validator per schema instead of walking the schema tree for every value,
 * with the same results and the same errors (a value the fast path rejects is
 * parsed again by the tree walk, which reports the issues). Every article a
 * cycle stores or reads back passes through one of them.
 */
/** An `article:` key holds either a live article or its tombstone. */
export const ArticleRecordSchema = z.compile(z.union([TombstoneSchema, ArticleSchema]));
/** An `alias:` key holds the id of the article it names (which may be a tombstone by now). */
export const AliasRecordSchema = z.compile(z.string().min(1));
/** A `state:` key holds the source's SourceState. */
export const StateRecordSchema = z.compile(SourceStateSchema);
/** An `alerts:` key holds the source's recent alerts, newest first. */
export const AlertsRecordSchema = z.compile(z.array(AlertSchema));
/** An `aliases-of:` key holds the alias keys its source wrote, per article id. */
export const SourceAliasesRecordSchema = z.compile(SourceAliasesSchema);
/** An `index:` key holds the source's entries, newest first. */
export const IndexRecordSchema = z.compile(z.array(IndexEntrySchema));

/** A stored value that is not the JSON envelope we write; carried up so the reader can name the key. */
export class CorruptValue {
  constructor(
    readonly raw: string,
    readonly reason: string,
  ) {}
}

/** The one field whose text may follow an envelope's JSON line (see {@link encodeEnvelope}). */
const TAIL_FIELD = 'contentHtml';

/**
 * The stored text of a keyv `{ value, expires }` envelope: its JSON, except
 * that an article's HTML body (most of its bytes) follows the JSON on a line
 * of its own, named by the envelope's `tail` field, with the field itself
 * null inside the JSON. JSON text never holds a raw newline, so the first one
 * ends the head. On Node 20, writing a document's 50 articles as plain JSON
 * took ~1.8 ms and reading them back ~1.2 ms, most of it escaping the HTML;
 * this way it takes ~0.5 ms and ~0.7 ms (see the README's design notes).
 */
export function encodeEnvelope(envelope: object): string {
  const parts = envelopeParts(envelope);
  return parts.length === 1 ? parts[0] : parts[0] + parts[1];
}

/**
 * {@link encodeEnvelope}'s text in its pieces: the JSON alone, or the head
 * line (newline included) and the HTML. A writer that copies the pieces one
 * after the other never builds the joined string.
 */
export function envelopeParts(envelope: object): [string] | [string, string] {
  const value = (envelope as { value?: unknown }).value;
  if (typeof value !== 'object' || value === null) return [JSON.stringify(envelope)];
  const html = (value as { contentHtml?: unknown }).contentHtml;
  if (typeof html !== 'string' || html.length === 0) return [JSON.stringify(envelope)];
  return [`${JSON.stringify({ ...envelope, value: { ...value, contentHtml: null }, tail: TAIL_FIELD })}\n`, html];
}

/**
 * The stored text of an alias naming `id`, as a commit writes it: a row is
 * removed only while it holds exactly this (see SourceChange.pruned).
 */
export function aliasText(id: string): string {
  return encodeEnvelope({ value: id });
}

/** keyv `serialize`: see {@link encodeEnvelope} (our values are JSON data only). */
export function serialize<Value>(data: DeserializedData<Value>): string {
  return encodeEnvelope(data);
}

/** keyv `deserialize`: never throws; anything unreadable comes back as a {@link CorruptValue}. */
export function deserialize<Value>(raw: string): DeserializedData<Value> | undefined {
  const cut = raw.indexOf('\n');
  if (cut !== -1) {
    const head = parseJson(raw.slice(0, cut));
    if (isTailedEnvelope(head)) {
      head.value[TAIL_FIELD] = raw.slice(cut + 1);
      return envelopeOf<Value>(raw, head);
    }
    // Otherwise the newline is JSON's own whitespace (a value written by hand or by another tool).
  }
  return envelopeOf<Value>(raw, parseJson(raw));
}

function isTailedEnvelope(head: unknown): head is { value: Record<string, unknown>; tail: string } {
  if (typeof head !== 'object' || head === null || !('tail' in head) || head.tail !== TAIL_FIELD || !('value' in head)) return false;
  return typeof head.value === 'object' && head.value !== null && !Array.isArray(head.value);
}

function envelopeOf<Value>(raw: string, parsed: unknown): DeserializedData<Value> {
  if (parsed instanceof Error) return corrupt<Value>(raw, `not JSON (${parsed.message})`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('value' in parsed)) {
    return corrupt<Value>(raw, 'not a keyv envelope ({ "value": … })');
  }
  const envelope = parsed as { value: unknown; expires?: unknown };
  const expires = typeof envelope.expires === 'number' ? envelope.expires : undefined;
  // keyv's typing is generic in Value; the typed layer validates the value with zod before use.
  return { value: envelope.value as Value, expires };
}

/** JSON.parse, with the error returned rather than thrown. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function corrupt<Value>(raw: string, reason: string): DeserializedData<Value> {
  // The marker travels where a value would; decodeRecord recognises it before anything else looks at it.
  return { value: new CorruptValue(raw, reason) as unknown as Value };
}

/** Why a stored value cannot be used, or its parsed form. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Validates a value read back from keyv against its record schema. */
export function decodeRecord<T>(schema: z.ZodType<T>, value: unknown): Decoded<T> {
  if (value instanceof CorruptValue) return { ok: false, reason: value.reason };
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: `does not match its schema: ${z.prettifyError(result.error).replace(/\n/g, '; ')}` };
}
