/**
 * Store URL parsing: which backend and file each setting selects, and which
 * settings are refused (StoreError) before anything is opened.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { parseStoreUrl, redactUrl } from '../../src/store/index.js';
import type { StoreTarget } from '../../src/store/index.js';

describe('parseStoreUrl', () => {
  it.each<{ url: string | null | undefined; cacheDir?: string; expected: StoreTarget }>([
    { url: undefined, expected: { backend: 'sqlite', file: path.resolve('cache', 'byline.sqlite') } },
    { url: null, cacheDir: '/var/lib/byline', expected: { backend: 'sqlite', file: '/var/lib/byline/byline.sqlite' } },
    { url: null, cacheDir: 'rel/cache', expected: { backend: 'sqlite', file: path.resolve('rel/cache/byline.sqlite') } },
    { url: 'sqlite:///abs/dir/db.sqlite', cacheDir: '/ignored', expected: { backend: 'sqlite', file: '/abs/dir/db.sqlite' } },
    { url: 'sqlite:relative/db.sqlite', expected: { backend: 'sqlite', file: path.resolve('relative/db.sqlite') } },
    { url: 'SQLite:///with%20space/db.sqlite', expected: { backend: 'sqlite', file: '/with space/db.sqlite' } },
    { url: ' redis://localhost:6379 ', expected: { backend: 'redis', url: 'redis://localhost:6379' } },
    { url: 'rediss://user:pw@cache.example:6380/2', expected: { backend: 'redis', url: 'rediss://user:pw@cache.example:6380/2' } },
  ])('$url (cacheDir $cacheDir)', ({ url, cacheDir, expected }) => {
    expect(parseStoreUrl(url, cacheDir)).toEqual(expected);
  });

  it.each([
    { url: '', message: /^store: unsupported store URL/ },
    { url: 'ftp://files.example/db', message: /^store: unsupported store URL/ },
    { url: 'file:///tmp/db.sqlite', message: /^store: unsupported store URL/ },
    { url: 'sqlite:', message: /^store\(sqlite\): no file name/ },
    { url: 'sqlite:///dir/', message: /^store\(sqlite\): no file name/ },
    { url: 'sqlite://host/db.sqlite', message: /^store\(sqlite\): expected sqlite:\/\/\/absolute\/path/ },
    { url: 'sqlite:///db.sqlite?mode=ro', message: /^store\(sqlite\): query strings/ },
    { url: 'sqlite:///bad%E0%A4%A', message: /^store\(sqlite\): malformed escape/ },
    { url: 'redis://[::1', message: /^store\(redis\): invalid URL/ },
  ])('refuses $url', ({ url, message }) => {
    expect(() => parseStoreUrl(url)).toThrow(StoreError);
    expect(() => parseStoreUrl(url)).toThrow(message);
  });

  it('does not echo a password when refusing a URL', () => {
    expect(() => parseStoreUrl('mongodb://admin:s3cret@db.example/x')).toThrow(/^((?!s3cret).)*$/);
  });
});

describe('redactUrl', () => {
  it.each([
    { url: 'redis://localhost:6379', expected: 'redis://localhost:6379' },
    { url: 'redis://user:s3cret@host:6379/0', expected: 'redis://user:***@host:6379/0' },
    { url: 'redis://:s3cret@host', expected: 'redis://:***@host' },
    { url: 'redis://user:s3cret@[bad', expected: 'redis://***@[bad' },
  ])('$url', ({ url, expected }) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
