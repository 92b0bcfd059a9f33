/**
 * The store's reads: keys fetched from keyv in chunks, each value validated
 * against its record schema, and the records that must also name the key
 * they are stored under (a state its source, an article its id) checked.
 * Whatever cannot be read is a StoreError naming the key.
 */
import type { z } from 'zod';
import type { Keyv } from 'keyv';
import type { Article, SourceState } from '../model/index.js';
import { UnreadableRecordError } from '../errors.js';
import { ArticleRecordSchema, IndexRecordSchema, StateRecordSchema, decodeRecord, keys } from './codec.js';
import type { ArticleRef, IndexEntry, StoreBackend } from './types.js';

/** Keys read and decoded in one synchronous step (see {@link KeyvReads.many}). */
export const READ_CHUNK = 64;

/** Resolves on a later turn of the event loop, after the I/O callbacks that are ready. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Each value once, in first-seen order. */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Typed reads over one keyv. */
export class KeyvReads {
  constructor(
    private readonly backend: StoreBackend,
    private readonly keyv: Keyv,
  ) {}

  /** States by source id; sources never committed are absent. */
  async states(sourceIds: string[]): Promise<Map<string, SourceState>> {
    const ids = unique(sourceIds);
    const records = await this.many(StateRecordSchema, ids.map(keys.state));
    const states = new Map<string, SourceState>();
    ids.forEach((id, i) => {
      const state = records[i];
      if (state === undefined) return;
      if (state.sourceId !== id) this.unreadable(keys.state(id), `holds the state of source "${state.sourceId}"`);
      states.set(id, state);
    });
    return states;
  }

  /** A source's index; empty when it has none. */
  async index(sourceId: string): Promise<IndexEntry[]> {
    const [index] = await this.many(IndexRecordSchema, [keys.index(sourceId)]);
    return index ?? [];
  }

  /** Live articles by id, each read under its source; unknown and deleted ones are absent. */
  async articles(refs: readonly ArticleRef[]): Promise<Map<string, Article>> {
    const byKey = new Map<string, ArticleRef>();
    for (const ref of refs) byKey.set(keys.article(ref.sourceId, ref.id), ref);
    const wanted = [...byKey];
    const records = await this.many(ArticleRecordSchema, wanted.map(([key]) => key));
    const articles = new Map<string, Article>();
    wanted.forEach(([key, ref], i) => {
      const record = records[i];
      if (record === undefined || 'tombstone' in record) return;
      if (record.id !== ref.id || record.sourceId !== ref.sourceId) {
        this.unreadable(key, `holds article "${record.id}" of source "${record.sourceId}"`);
      }
      articles.set(ref.id, record);
    });
    return articles;
  }

  /**
   * Values of `keyList` (undefined where absent), each validated; the first
   * unreadable one is a StoreError naming its key. Read and decoded
   * {@link READ_CHUNK} keys at a time, with a turn of the event loop between
   * chunks: the SQLite backend reads synchronously, and the states of 1,000
   * sources read, parsed and validated in one go held up every request for
   * ~60 ms. Each key is read as of its own chunk, which no caller needs to be
   * otherwise (every source has one writer).
   */
  async many<T>(schema: z.ZodType<T>, keyList: string[]): Promise<Array<T | undefined>> {
    const decoded: Array<T | undefined> = [];
    for (let start = 0; start < keyList.length; start += READ_CHUNK) {
      if (start > 0) await nextTurn();
      const chunk = keyList.slice(start, start + READ_CHUNK);
      const values: unknown[] = await this.keyv.getMany<unknown>(chunk);
      chunk.forEach((key, i) => {
        const value = values[i];
        if (value === undefined) {
          decoded.push(undefined);
          return;
        }
        const record = decodeRecord(schema, value);
        if (!record.ok) this.unreadable(key, record.reason);
        decoded.push(record.value);
      });
    }
    return decoded;
  }

  private unreadable(key: string, reason: string): never {
    throw new UnreadableRecordError(`store(${this.backend}): unreadable record at key "${key}": ${reason}`);
  }
}
