/**
 * Rendered outputs, kept as bytes with their validators and compressed forms.
 * A snapshot of the store is read once per revision; each path is rendered
 * (and compressed) the first time it is asked for under that revision, so a
 * hundred archive pages cost nothing until someone reads them. The revision
 * fingerprint is read at most once per `checkIntervalMs`, so a burst of
 * requests costs one store read, and writes by another process are noticed.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/** One rendered output, ready to serve. */
export interface CachedBody {
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Strong validator: a hash of the raw bytes. */
  etag: string;
  lastModified: Date;
}

/** Options of {@link createOutputCache}. */
export interface OutputCacheOptions<Snapshot> {
  /** Cheap fingerprint of what the outputs depend on. */
  revision: () => Promise<string>;
  /** Reads what rendering needs; called once per revision. */
  snapshot: () => Promise<Snapshot>;
  /** Renders one path from a snapshot; `null` when nothing is published there. */
  render: (snapshot: Snapshot, path: string) => Promise<string | null> | string | null;
  checkIntervalMs?: number;
  now?: () => number;
}

/** The cache the app serves from. */
export interface OutputCache {
  /** The body published at `path` under the current revision, or `null` when there is none. */
  get(path: string): Promise<CachedBody | null>;
  /** Forces the next `get` to re-check the revision (after a cycle in this process). */
  invalidate(): void;
}

/** Encodes text as a cached body: raw bytes, gzip and brotli forms, strong ETag. */
export function encodeBody(text: string, lastModified: Date): CachedBody {
  const raw = Buffer.from(text, 'utf8');
  return {
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 32)}"`,
    lastModified,
  };
}

interface Generation<Snapshot> {
  revision: string;
  snapshot: Promise<Snapshot>;
  /** When this revision was first seen, to the second (HTTP dates have no finer precision). */
  at: Date;
  bodies: Map<string, Promise<CachedBody | null>>;
}

/** Creates the cache; nothing is read or rendered before the first `get`. */
export function createOutputCache<Snapshot>(options: OutputCacheOptions<Snapshot>): OutputCache {
  const interval = options.checkIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let current: Generation<Snapshot> | null = null;
  // Bodies of the previous revision: identical bytes keep their Last-Modified.
  let previous: Map<string, Promise<CachedBody | null>> = new Map();
  let checkedAt = -Infinity;
  let checking: Promise<Generation<Snapshot>> | null = null;

  const check = async (): Promise<Generation<Snapshot>> => {
    const revision = await options.revision();
    checkedAt = now();
    if (current && current.revision === revision) return current;
    previous = current?.bodies ?? previous;
    current = { revision, snapshot: options.snapshot(), at: new Date(Math.floor(now() / 1000) * 1000), bodies: new Map() };
    return current;
  };

  const build = async (generation: Generation<Snapshot>, path: string): Promise<CachedBody | null> => {
    let snapshot: Snapshot;
    try {
      snapshot = await generation.snapshot;
    } catch (error) {
      // A failed read must not stick: the next request reads again.
      if (current === generation) current = null;
      throw error;
    }
    const text = await options.render(snapshot, path);
    if (text === null) return null;
    const body = encodeBody(text, generation.at);
    const before = await previous.get(path)?.catch(() => null);
    return before && before.etag === body.etag ? before : body;
  };

  return {
    async get(path) {
      let generation = current;
      if (!generation || now() - checkedAt >= interval) {
        checking ??= check().finally(() => {
          checking = null;
        });
        generation = await checking;
      }
      let body = generation.bodies.get(path);
      if (!body) {
        body = build(generation, path);
        generation.bodies.set(path, body);
        body.catch(() => generation.bodies.delete(path));
      }
      return body;
    },
    invalidate() {
      checkedAt = -Infinity;
    },
  };
}
