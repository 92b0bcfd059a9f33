/**
 * Rendered outputs, kept as bytes with their validators and compressed forms.
 *
 * Each path is rendered (and compressed) the first time it is asked for under
 * a revision, so a hundred archive pages cost nothing until someone reads
 * them. The revision fingerprint is read at most once per `checkIntervalMs`,
 * so a burst of requests costs one store read, and writes by another process
 * are noticed.
 *
 * Once a path has a complete body, it is served from that body until the
 * body of a newer revision is complete (stale while revalidating): the
 * revision check and the rebuild run in the background, a request never waits
 * for them and never sees a half-built body. Only a path that has no body yet
 * waits for its first build. `peek` is the synchronous form the node:http
 * fast path uses.
 *
 * A path the snapshot cannot publish (`publishes`: an archive page past the
 * count) is answered `null` without a render and without being remembered:
 * clients can name any number of such paths, and each would otherwise cost
 * a render and an entry until the next revision.
 */
import { encodeBody, hashOf, type CachedBody } from './encode.js';

export { encodeBody, type CachedBody, type Coding } from './encode.js';

/** What a render gives: the document as text or as its UTF-8 bytes (a render thread hands over bytes), or `null`. */
export type Rendered = string | Uint8Array | null;

/** Options of {@link createOutputCache}. */
export interface OutputCacheOptions<Snapshot> {
  /** Cheap fingerprint of what the outputs depend on. */
  revision: () => Promise<string>;
  /** Reads what rendering needs; called once per revision (again after a failed read), when a path of it is first built. */
  snapshot: () => Promise<Snapshot>;
  /** Renders one path from a snapshot (text, or its UTF-8 bytes); `null` when nothing is published there. */
  render: (snapshot: Snapshot, path: string) => Promise<Rendered> | Rendered;
  /** Whether `snapshot` publishes anything at `path`, told without rendering; when false, `render` is not called. Default: always. */
  publishes?: (snapshot: Snapshot, path: string) => boolean;
  checkIntervalMs?: number;
  now?: () => number;
  /** A background check or rebuild failed: the previous body is still served, and the next check retries. */
  onError?: (error: unknown, path: string) => void;
}

/** The cache the app serves from. */
export interface OutputCache {
  /**
   * The body to serve at `path`: the newest complete one, or, when the path
   * has none yet, the one built for the current revision (`null`: nothing is
   * published there).
   */
  get(path: string): Promise<CachedBody | null>;
  /**
   * The newest complete body at `path`, without waiting; `null` when the path
   * has none yet (call `get`). Starts the revision check and the rebuild in the
   * background when they are due.
   */
  peek(path: string): CachedBody | null;
  /** Forces the next request to re-check the revision (after a cycle in this process). */
  invalidate(): void;
  /** Resolves once no revision check or rebuild is running (tests, shutdown). */
  idle(): Promise<void>;
  stats(): OutputCacheStats;
}

/** What the cache holds and has done, for tests and logs. */
export interface OutputCacheStats {
  /** Paths with an answer kept (or being built) under the current revision, a body or "nothing here". */
  paths: number;
  /** Complete bodies kept, whatever revision they were built under. */
  bodies: number;
  /** Builds started so far: each renders its path, unless the snapshot turns out not to publish it. */
  builds: number;
}

interface Generation<Snapshot> {
  /** Increases with every new revision seen, so an older build never replaces a newer body. */
  seq: number;
  revision: string;
  /** Read on the first build under this revision. */
  snapshot: Promise<Snapshot> | null;
  /** When this revision was first seen, to the second (HTTP dates have no finer precision). */
  at: Date;
  bodies: Map<string, Promise<CachedBody | null>>;
  /** Paths whose build failed under this revision (retried at the next check). */
  failed: Set<string>;
}

/** A complete body and the generation it was built under. */
interface Ready {
  body: CachedBody;
  seq: number;
}

/** Creates the cache; nothing is read or rendered before the first request. */
export function createOutputCache<Snapshot>(options: OutputCacheOptions<Snapshot>): OutputCache {
  const interval = options.checkIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let current: Generation<Snapshot> | null = null;
  let seq = 0;
  let checkedAt = -Infinity;
  let checking: Promise<Generation<Snapshot>> | null = null;
  const ready = new Map<string, Ready>();
  // Builds running per path, whatever their generation: a background rebuild waits for the one running.
  const building = new Map<string, number>();
  const running = new Set<Promise<unknown>>();
  // Paths served from their previous body while a revision check runs: rebuilt once it has answered.
  const wanted = new Set<string>();
  let builds = 0;
  const publishes = options.publishes ?? (() => true);

  const track = <T>(promise: Promise<T>): Promise<T> => {
    running.add(promise);
    const done = (): void => {
      running.delete(promise);
    };
    promise.then(done, done);
    return promise;
  };

  const check = (): Promise<Generation<Snapshot>> => {
    if (checking) return checking;
    const run = (async () => {
      let revision: string;
      try {
        revision = await options.revision();
      } catch (error) {
        // Requests meanwhile were served their previous body; they learn nothing new this time.
        const [path] = wanted;
        wanted.clear();
        if (path !== undefined) options.onError?.(error, path);
        throw error;
      }
      if (current && current.revision === revision) {
        // Failed builds are retried once per check, not by every request in between.
        for (const path of current.failed) current.bodies.delete(path);
        current.failed.clear();
      } else {
        current = { seq: ++seq, revision, snapshot: null, at: new Date(Math.floor(now() / 1000) * 1000), bodies: new Map(), failed: new Set() };
      }
      for (const path of wanted) rebuild(current, path);
      wanted.clear();
      return current;
    })();
    checking = track(
      run.finally(() => {
        // A failed read is retried after the interval too.
        checkedAt = now();
        checking = null;
      }),
    );
    return checking;
  };

  const snapshotOf = (generation: Generation<Snapshot>): Promise<Snapshot> => {
    if (!generation.snapshot) {
      generation.snapshot = options.snapshot();
      // A failed read must not stick: the next build reads again.
      generation.snapshot.catch(() => {
        generation.snapshot = null;
      });
    }
    return generation.snapshot;
  };

  const build = async (generation: Generation<Snapshot>, path: string): Promise<CachedBody | null> => {
    const snapshot = await snapshotOf(generation);
    // Reading the snapshot and rendering are each long synchronous stretches: a timer (not an immediate,
    // which runs before the loop polls again) lets the requests that arrived meanwhile in between them.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const rendered = publishes(snapshot, path) ? await options.render(snapshot, path) : null;
    const newer = (ready.get(path)?.seq ?? -1) > generation.seq;
    if (rendered === null) {
      if (!newer) ready.delete(path);
      return null;
    }
    // Bytes from a worker are wrapped, not copied.
    const raw = typeof rendered === 'string' ? Buffer.from(rendered, 'utf8') : Buffer.from(rendered.buffer, rendered.byteOffset, rendered.byteLength);
    const hash = hashOf(raw);
    const before = ready.get(path);
    // Identical bytes keep their body, so Last-Modified does not move and nothing is compressed again.
    let body = before && before.body.hash === hash ? before.body : await encodeBody(raw, generation.at, hash);
    // Revisions can follow each other within a second (a cycle publishes as its sources answer).
    if (body !== before?.body && before && before.body.lastModified.getTime() >= body.lastModified.getTime()) body = { ...body, sharesLastModified: true };
    if ((ready.get(path)?.seq ?? -1) <= generation.seq) ready.set(path, { body, seq: generation.seq });
    return body;
  };

  const bodyOf = (generation: Generation<Snapshot>, path: string): Promise<CachedBody | null> => {
    let body = generation.bodies.get(path);
    if (!body) {
      builds++;
      building.set(path, (building.get(path) ?? 0) + 1);
      body = track(build(generation, path));
      generation.bodies.set(path, body);
      const finished = (): void => {
        const left = (building.get(path) ?? 1) - 1;
        if (left > 0) building.set(path, left);
        else building.delete(path);
      };
      body.then(finished, () => {
        finished();
        generation.failed.add(path);
      });
    }
    return body;
  };

  /** Starts the build of `path` under `generation` in the background, unless one is running or done. */
  const rebuild = (generation: Generation<Snapshot>, path: string): void => {
    if (building.has(path) || generation.bodies.has(path)) return;
    bodyOf(generation, path).catch((error: unknown) => options.onError?.(error, path));
  };

  /** Background work for a path that has a body: its rebuild, after the revision check when one is due. */
  const refresh = (path: string): void => {
    if (current && !checking && now() - checkedAt < interval) {
      rebuild(current, path);
      return;
    }
    wanted.add(path);
    // The check reports its own failure (to the paths that wanted it); nobody waits for it here.
    if (!checking) check().catch(() => undefined);
  };

  const peek = (path: string): CachedBody | null => {
    const entry = ready.get(path);
    if (!entry) return null;
    refresh(path);
    return entry.body;
  };

  return {
    peek,
    async get(path) {
      const body = peek(path);
      if (body) return body;
      const generation = !current || checking || now() - checkedAt >= interval ? await check() : current;
      // With nothing to serve meanwhile, a failed build is retried at once.
      if (generation.failed.delete(path)) generation.bodies.delete(path);
      // Told from the snapshot (read once per revision), so made-up paths leave no entry behind.
      if (options.publishes && !generation.bodies.has(path) && !options.publishes(await snapshotOf(generation), path)) return null;
      return bodyOf(generation, path);
    },
    invalidate() {
      checkedAt = -Infinity;
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    stats: () => ({ paths: current?.bodies.size ?? 0, bodies: ready.size, builds }),
  };
}
