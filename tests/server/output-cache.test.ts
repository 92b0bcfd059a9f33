/**
 * The output cache while a new revision is being built: requests keep getting
 * the previous complete body (never a half-built one), one rebuild per path
 * runs at a time, a failed rebuild keeps the previous body and is reported,
 * and unchanged bytes keep their body (and Last-Modified) without being
 * compressed again.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createOutputCache, encodeBody } from '../../src/server/index.js';

/** A cache whose renders of chosen revisions wait until released. */
function makeCache() {
  let revision = 'v1';
  let checks = 0;
  let clock = 1_700_000_000_000;
  const renders: string[] = [];
  const errors: string[] = [];
  const gates = new Map<string, { promise: Promise<void>; open: () => void }>();
  const failing = new Set<string>();
  const gate = (rev: string) => {
    let open = (): void => undefined;
    const promise = new Promise<void>((resolve) => (open = resolve));
    gates.set(rev, { promise, open });
    return open;
  };
  const outputs = createOutputCache<string>({
    revision: async () => {
      checks++;
      return revision;
    },
    snapshot: async () => revision,
    render: async (snapshot, path) => {
      renders.push(`${path}@${snapshot}`);
      await gates.get(snapshot)?.promise;
      if (failing.has(snapshot)) throw new Error(`render of ${snapshot} failed`);
      if (path === 'gone.xml' && snapshot !== 'v1') return null;
      if (path === 'feed.xsl') return 'constant';
      return `<rss>${snapshot}</rss>`;
    },
    checkIntervalMs: 1000,
    now: () => clock,
    onError: (error, path) => errors.push(`${path}: ${String(error)}`),
  });
  return {
    outputs,
    renders,
    errors,
    gate,
    fail: (rev: string) => failing.add(rev),
    checks: () => checks,
    /** Moves to a new revision and past the check interval. */
    publish: (rev: string) => {
      revision = rev;
      clock += 1000;
    },
  };
}

const text = (body: { raw: Buffer } | null) => body?.raw.toString('utf8') ?? null;

describe('createOutputCache while rebuilding', () => {
  it('serves the previous complete body until the new one is ready', async () => {
    const { outputs, publish, gate, renders } = makeCache();
    const v1 = await outputs.get('feed.xml');
    const release = gate('v2');
    publish('v2');
    // This request starts the check and the rebuild, and is not kept waiting for them.
    expect(await outputs.get('feed.xml')).toBe(v1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(renders).toEqual(['feed.xml@v1', 'feed.xml@v2']);
    // Mid-rebuild: the whole v1 body, with its own validators.
    expect(outputs.peek('feed.xml')).toBe(v1);
    expect(text(await outputs.get('feed.xml'))).toBe('<rss>v1</rss>');
    release();
    await outputs.idle();
    const v2 = outputs.peek('feed.xml');
    expect(text(v2)).toBe('<rss>v2</rss>');
    expect(v2!.etags).not.toEqual(v1!.etags);
    expect(gunzipSync(v2!.gzip).toString()).toBe('<rss>v2</rss>');
    expect(brotliDecompressSync(v2!.br).toString()).toBe('<rss>v2</rss>');
  });

  it('makes a path with no body yet wait for its first build', async () => {
    const { outputs, gate } = makeCache();
    const release = gate('v1');
    expect(outputs.peek('feed.xml')).toBeNull();
    const pending = outputs.get('feed.xml');
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    release();
    expect(text(await pending)).toBe('<rss>v1</rss>');
  });

  it('runs one rebuild per path at a time, then builds the newest revision', async () => {
    const { outputs, publish, gate, renders } = makeCache();
    await outputs.get('feed.xml');
    const release = gate('v2');
    publish('v2');
    outputs.peek('feed.xml');
    await new Promise((resolve) => setTimeout(resolve, 10));
    publish('v3');
    for (let i = 0; i < 5; i++) outputs.peek('feed.xml');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(renders).toEqual(['feed.xml@v1', 'feed.xml@v2']);
    release();
    await outputs.idle();
    expect(text(outputs.peek('feed.xml'))).toBe('<rss>v2</rss>');
    // The next request finds the newer revision already checked and starts its build.
    await outputs.idle();
    expect(text(outputs.peek('feed.xml'))).toBe('<rss>v3</rss>');
    expect(renders).toEqual(['feed.xml@v1', 'feed.xml@v2', 'feed.xml@v3']);
  });

  it('keeps serving the previous body when a rebuild fails, reports it, and retries at the next check', async () => {
    const { outputs, publish, fail, renders, errors } = makeCache();
    const v1 = await outputs.get('feed.xml');
    fail('v2');
    publish('v2');
    outputs.peek('feed.xml');
    await outputs.idle();
    expect(errors).toEqual(['feed.xml: Error: render of v2 failed']);
    // Not retried by every request in between…
    for (let i = 0; i < 5; i++) expect(outputs.peek('feed.xml')).toBe(v1);
    await outputs.idle();
    expect(renders).toEqual(['feed.xml@v1', 'feed.xml@v2']);
    // …but at the next check.
    publish('v2');
    outputs.peek('feed.xml');
    await outputs.idle();
    outputs.peek('feed.xml');
    await outputs.idle();
    expect(renders).toEqual(['feed.xml@v1', 'feed.xml@v2', 'feed.xml@v2']);
  });

  it('keeps the body of unchanged bytes (same object, same Last-Modified) and drops a path that is no longer published', async () => {
    const { outputs, publish } = makeCache();
    const xsl = await outputs.get('feed.xsl');
    const gone = await outputs.get('gone.xml');
    expect(text(gone)).toBe('<rss>v1</rss>');
    publish('v2');
    outputs.peek('feed.xsl');
    outputs.peek('gone.xml');
    await outputs.idle();
    expect(outputs.peek('feed.xsl')).toBe(xsl);
    expect(outputs.peek('gone.xml')).toBeNull();
    expect(await outputs.get('gone.xml')).toBeNull();
  });

  it('re-checks the revision at once after invalidate, and renders nothing when it is unchanged', async () => {
    const { outputs, renders, checks } = makeCache();
    await outputs.get('feed.xml');
    outputs.peek('feed.xml');
    await outputs.idle();
    expect(checks()).toBe(1);
    outputs.invalidate();
    outputs.peek('feed.xml');
    await outputs.idle();
    expect(checks()).toBe(2);
    expect(renders).toEqual(['feed.xml@v1']);
  });
});

describe('Last-Modified', () => {
  it('marks a new body whose date cannot tell it from the one before, and only that one', async () => {
    let revision = 'v1';
    let clock = 1_700_000_000_200;
    const outputs = createOutputCache<string>({
      revision: async () => revision,
      snapshot: async () => revision,
      render: (snapshot) => `<rss>${snapshot}</rss>`,
      checkIntervalMs: 1000,
      now: () => clock,
    });
    /** The body once the rebuild an invalidation starts has finished. */
    const settled = async () => {
      outputs.invalidate();
      await outputs.get('feed.xml');
      await outputs.idle();
      return (await outputs.get('feed.xml'))!;
    };
    const first = (await outputs.get('feed.xml'))!;
    // A second revision 500 ms later: the same second, other bytes.
    revision = 'v2';
    clock += 500;
    const second = await settled();
    expect(text(second)).toBe('<rss>v2</rss>');
    expect(second.lastModified.getTime()).toBe(first.lastModified.getTime());
    expect([first.sharesLastModified, second.sharesLastModified]).toEqual([undefined, true]);
    // The same bytes again keep their body; a later second is a date of its own.
    expect(await settled()).toBe(second);
    revision = 'v3';
    clock += 1000;
    const third = await settled();
    expect(third.lastModified.getTime()).toBeGreaterThan(second.lastModified.getTime());
    expect(third.sharesLastModified).toBeUndefined();
  });
});

describe('encodeBody', () => {
  it('keeps the raw bytes, compresses both ways and tags the bytes of each coding', async () => {
    const text = '<rss>é</rss>'.repeat(1000);
    const at = new Date('2026-11-26T00:00:00Z');
    const body = await encodeBody(text, at);
    expect(body.raw.toString('utf8')).toBe(text);
    expect(gunzipSync(body.gzip).toString('utf8')).toBe(text);
    expect(brotliDecompressSync(body.br).toString('utf8')).toBe(text);
    expect(body.gzip.length).toBeLessThan(body.raw.length / 10);
    expect(body.lastModified).toBe(at);
    expect(body.etags).toEqual({ identity: `"${body.hash}"`, gzip: `W/"${body.hash}-gzip"`, br: `W/"${body.hash}-br"` });
    expect((await encodeBody(Buffer.from(text), at)).etags).toEqual(body.etags);
    expect((await encodeBody(`${text} `, at)).hash).not.toBe(body.hash);
  });
});
