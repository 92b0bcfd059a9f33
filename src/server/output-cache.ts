/**
 * Rendered outputs, kept as bytes with their validators and compressed forms,
 * rebuilt only when the store's revision fingerprint changes. The fingerprint
 * is read at most once per `checkIntervalMs`, so a burst of requests costs
 * one store read, and writes by another process are still noticed.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

export interface CachedBody {
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
  lastModified: Date;
}

export interface OutputCacheOptions<Name extends string> {
  /** Cheap fingerprint of what the outputs depend on. */
  revision: () => Promise<string>;
  /** Renders every output; only called when the revision changed. */
  render: () => Promise<Record<Name, string>>;
  checkIntervalMs?: number;
  now?: () => number;
}

export interface OutputCache<Name extends string> {
  get(name: Name): Promise<CachedBody>;
  /** Forces the next `get` to re-check the revision (after a cycle in this process). */
  invalidate(): void;
}

function encode(text: string, lastModified: Date): CachedBody {
  const raw = Buffer.from(text, 'utf8');
  return {
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 32)}"`,
    lastModified,
  };
}

/** Creates the cache; nothing is rendered before the first `get`. */
export function createOutputCache<Name extends string>(options: OutputCacheOptions<Name>): OutputCache<Name> {
  const interval = options.checkIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let revision: string | null = null;
  let checkedAt = -Infinity;
  let bodies: Map<Name, CachedBody> | null = null;
  let building: Promise<Map<Name, CachedBody>> | null = null;

  const rebuild = async (): Promise<Map<Name, CachedBody>> => {
    const current = await options.revision();
    checkedAt = now();
    if (bodies && current === revision) return bodies;
    const rendered = await options.render();
    // HTTP dates have one-second precision; validators must compare equal on the next request.
    const lastModified = new Date(Math.floor(now() / 1000) * 1000);
    const next = new Map<Name, CachedBody>();
    for (const [name, text] of Object.entries(rendered) as [Name, string][]) {
      const previous = bodies?.get(name);
      const body = encode(text, lastModified);
      // Same bytes keep their old Last-Modified, so If-Modified-Since stays honest.
      next.set(name, previous && previous.etag === body.etag ? previous : body);
    }
    bodies = next;
    revision = current;
    return next;
  };

  return {
    async get(name) {
      if (!bodies || now() - checkedAt >= interval) {
        building ??= rebuild().finally(() => {
          building = null;
        });
        await building;
      }
      const body = bodies!.get(name);
      if (!body) throw new Error(`output cache: no output named ${name}`);
      return body;
    },
    invalidate() {
      checkedAt = -Infinity;
    },
  };
}
