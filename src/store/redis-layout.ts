/**
 * The Redis store's key layout, versioned in the `layout` key of byline's
 * namespace (article-layout.ts says what moved and why). A server is brought
 * to the current layout when the store connects, before anything reads or
 * writes.
 */
import { ARTICLE_LAYOUT_VERSION, relocate, type LayoutUpgrade } from './article-layout.js';
import { NAMESPACE } from './codec.js';

/** How @keyv/redis spells keyv's keys in the `byline` namespace. */
const PREFIX = `${NAMESPACE}::`;
const LAYOUT_KEY = `${PREFIX}layout`;
const SCAN_COUNT = 500;

/** What the upgrade needs of a connected single-node client (node-redis 5). */
export interface LayoutClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  rename(key: string, newKey: string): Promise<unknown>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
}

/**
 * Moves every article record under its source, one RENAME each (atomic on its
 * own), then records the layout. An upgrade cut short is finished by the next
 * one: records already moved are recognised by their key and stay.
 */
export async function upgradeRedisLayout(client: LayoutClient): Promise<LayoutUpgrade> {
  const result: LayoutUpgrade = { moved: 0, unreadable: 0 };
  if (Number(await client.get(LAYOUT_KEY)) >= ARTICLE_LAYOUT_VERSION) return result;
  for await (const batch of client.scanIterator({ MATCH: `${PREFIX}article:*`, COUNT: SCAN_COUNT })) {
    // A batch's commands go out together (the client pipelines them): one at a time, 25,000 articles took ~10 s.
    const raws = await Promise.all(batch.map((key) => client.get(key)));
    const moves: Array<Promise<unknown>> = [];
    batch.forEach((key, i) => {
      const raw = raws[i];
      // Gone since the scan saw it: another process upgrading the same server moved it.
      if (raw === null || raw === undefined) return;
      const place = relocate(key.slice(PREFIX.length), raw);
      if (place.kind === 'unreadable') result.unreadable++;
      if (place.kind !== 'move') return;
      moves.push(
        client.rename(key, PREFIX + place.to).then(
          () => result.moved++,
          (error: unknown) => {
            if (!/no such key/i.test(error instanceof Error ? error.message : String(error))) throw error;
          },
        ),
      );
    });
    await Promise.all(moves);
  }
  await client.set(LAYOUT_KEY, String(ARTICLE_LAYOUT_VERSION));
  return result;
}
