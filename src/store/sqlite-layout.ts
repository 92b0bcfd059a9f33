/**
 * The SQLite file's key layout, versioned in the file's `user_version`
 * (article-layout.ts says what moved and why). A file is brought to the
 * current layout when a connection opens it, before anything reads or writes.
 */
import type Database from 'better-sqlite3';
import { ARTICLE_LAYOUT_VERSION, relocate, type LayoutUpgrade } from './article-layout.js';
import { NAMESPACE } from './codec.js';

/** The kv table's keys carry the keyv namespace (see sqlite-adapter.ts). */
const PREFIX = `${NAMESPACE}:`;

/**
 * Moves every article record of an older file under its source, in one
 * IMMEDIATE transaction: a process that opens the file meanwhile waits (busy
 * timeout), then finds it upgraded. A file already at the current layout,
 * or at a later one, is left alone.
 */
export function upgradeSqliteLayout(db: Database.Database): LayoutUpgrade {
  const version = (): number => Number(db.pragma('user_version', { simple: true }));
  const done: LayoutUpgrade = { moved: 0, unreadable: 0 };
  if (version() >= ARTICLE_LAYOUT_VERSION) return done;
  const upgrade = db.transaction((): LayoutUpgrade => {
    if (version() >= ARTICLE_LAYOUT_VERSION) return done;
    const result: LayoutUpgrade = { moved: 0, unreadable: 0 };
    // One UPDATE in SQL, the decision in the codec's own reading of a record.
    db.function('byline_article_key', (key: unknown, value: unknown): unknown => {
      if (typeof key !== 'string' || typeof value !== 'string') return key;
      const place = relocate(key.slice(PREFIX.length), value);
      if (place.kind === 'unreadable') result.unreadable++;
      if (place.kind !== 'move') return key;
      result.moved++;
      return PREFIX + place.to;
    });
    db.prepare('UPDATE kv SET key = byline_article_key(key, value) WHERE key GLOB ?').run(`${PREFIX}article:*`);
    db.pragma(`user_version = ${ARTICLE_LAYOUT_VERSION}`);
    return result;
  });
  return upgrade.immediate();
}
