/**
 * Reads the store setting (a URL or nothing) into the backend to open. Pure:
 * resolving a relative path uses the working directory, nothing is touched.
 */
import path from 'node:path';
import { StoreError } from '../errors.js';

/** Where the data lives. */
export type StoreTarget = { backend: 'sqlite'; file: string } | { backend: 'redis'; url: string };

/** The embedded database's file name inside the cache directory. */
export const SQLITE_FILE_NAME = 'byline.sqlite';

/**
 * `undefined`/`null` → `<cacheDir ?? ./cache>/byline.sqlite`;
 * `sqlite:///abs/file.sqlite` → that absolute file; `sqlite:rel/file.sqlite` → relative to the working directory;
 * `redis://…` / `rediss://…` → redis. Anything else is a StoreError.
 */
export function parseStoreUrl(url: string | null | undefined, cacheDir?: string): StoreTarget {
  if (url === undefined || url === null) {
    return { backend: 'sqlite', file: path.resolve(cacheDir ?? './cache', SQLITE_FILE_NAME) };
  }
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') return { backend: 'sqlite', file: sqliteFile(trimmed) };
  if (scheme === 'redis' || scheme === 'rediss') {
    try {
      new URL(trimmed);
    } catch (error) {
      throw new StoreError(`store(redis): invalid URL ${redactUrl(trimmed)}`, { cause: error });
    }
    return { backend: 'redis', url: trimmed };
  }
  throw new StoreError(`store: unsupported store URL ${redactUrl(trimmed)} (expected sqlite:… or redis://…)`);
}

function sqliteFile(url: string): string {
  let rest = url.slice('sqlite:'.length);
  if (rest.startsWith('//')) {
    // sqlite:///abs/path: an empty authority, then an absolute path. A host makes no sense for a local file.
    if (!rest.startsWith('///')) throw new StoreError(`store(sqlite): expected sqlite:///absolute/path or sqlite:relative/path, got ${url}`);
    rest = rest.slice(2);
  }
  if (/[?#]/.test(rest)) throw new StoreError(`store(sqlite): query strings and fragments are not supported in ${url}`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch (error) {
    throw new StoreError(`store(sqlite): malformed escape in ${url}`, { cause: error });
  }
  if (decoded === '' || decoded.endsWith('/')) throw new StoreError(`store(sqlite): no file name in ${url}`);
  return path.resolve(decoded);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not parseable: do not echo something that may hold a secret.
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
