/**
 * Each content coding of an output is its own representation, so each gets
 * its own ETag, derived from one hash of the raw bytes: strong for the raw
 * bytes, weak for the gzip and brotli forms, whose bytes depend on the
 * compressor (RFC 9110 §8.8.1). If-None-Match is compared with the tag of the
 * coding this request would be sent. Checked over a real listener, on the
 * node:http fast path and on the Request path alike.
 */
import type { Server } from 'node:http';
import { brotliCompressSync, brotliDecompressSync, constants as zlib, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, createOutputCache, listen } from '../../src/server/index.js';
import { sendRaw, type RawAnswer } from '../helpers/http.js';

const BODY = '<rss>one output</rss>'.repeat(40);

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** One app over a one-revision cache, behind a listener with the fast path and one with the Request path only. */
async function start(): Promise<{ fast: string; slow: string }> {
  const outputs = createOutputCache<string>({ revision: async () => 'v1', snapshot: async () => 'v1', render: () => BODY });
  const app = createApp({ outputs, health: async () => [], describe: () => ({ store: 'sqlite', sources: 0, cycleRunning: false }) });
  const fast = await listen(app, 0, '127.0.0.1');
  const slow = await listen({ fetch: (request) => app.fetch(request) }, 0, '127.0.0.1');
  servers.push(fast.server, slow.server);
  return { fast: fast.url, slow: slow.url };
}

/** A GET of /feed.xml with exactly these headers (node:http adds no Accept-Encoding of its own). */
function send(base: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return sendRaw(base, '/feed.xml', headers);
}

/** The ETag of each coding, read from a 200 of each. */
async function tagsOf(base: string): Promise<{ identity: string; gzip: string; br: string }> {
  const identity = await send(base);
  const gzip = await send(base, { 'Accept-Encoding': 'gzip' });
  const br = await send(base, { 'Accept-Encoding': 'br' });
  expect([identity.headers['content-encoding'], gzip.headers['content-encoding'], br.headers['content-encoding']]).toEqual([undefined, 'gzip', 'br']);
  expect(identity.body.toString()).toBe(BODY);
  expect(gunzipSync(gzip.body).toString()).toBe(BODY);
  expect(brotliDecompressSync(br.body).toString()).toBe(BODY);
  for (const answer of [identity, gzip, br]) expect(answer.headers.vary).toMatch(/^Accept-Encoding\b/);
  return { identity: String(identity.headers.etag), gzip: String(gzip.headers.etag), br: String(br.headers.etag) };
}

describe.each(['fast', 'slow'] as const)('ETags per content coding (%s path)', (which) => {
  it('gives the identity body a strong tag and its gzip and brotli forms weak tags, distinct, from one hash', async () => {
    const base = (await start())[which];
    const tags = await tagsOf(base);
    const [, hash] = /^"([\w-]{20,})"$/.exec(tags.identity) ?? [];
    expect(hash).toBeDefined();
    expect(tags).toEqual({ identity: `"${hash}"`, gzip: `W/"${hash}-gzip"`, br: `W/"${hash}-br"` });
    // The same bytes give the same tags in another process or cache.
    expect(await tagsOf((await start())[which])).toEqual(tags);
  });

  it('makes no byte-for-byte claim for compressed bytes another compressor would make differently, and still answers 304 after a restart', async () => {
    // Another zlib or brotli build, or another level, makes other bytes of the same content: a strong tag
    // derived from the content alone would name all of them at once.
    const raw = Buffer.from(BODY);
    expect(gzipSync(raw, { level: 1 }).equals(gzipSync(raw, { level: 9 }))).toBe(false);
    const quality = (q: number): Buffer => brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: q } });
    expect(quality(4).equals(quality(11))).toBe(false);
    const tags = await tagsOf((await start())[which]);
    expect(tags.gzip.startsWith('W/"')).toBe(true);
    expect(tags.br.startsWith('W/"')).toBe(true);
    // A reader's copy from before the restart is current on the new process, whatever bytes it compresses to.
    const restarted = (await start())[which];
    for (const [coding, accept] of [['gzip', 'gzip'], ['br', 'br']] as const) {
      const answer = await send(restarted, { 'If-None-Match': tags[coding], 'Accept-Encoding': accept });
      expect(answer.status).toBe(304);
      expect(answer.headers.etag).toBe(tags[coding]);
    }
  });

  it.each<{ name: string; held: 'identity' | 'gzip' | 'br' | '*'; weak?: boolean; strong?: boolean; accept?: string; status: number; coding: 'identity' | 'gzip' | 'br' }>([
    { name: 'the gzip tag, still accepting gzip', held: 'gzip', accept: 'gzip', status: 304, coding: 'gzip' },
    { name: 'the gzip tag made strong, as an earlier release gave it, still accepting gzip', held: 'gzip', strong: true, accept: 'gzip', status: 304, coding: 'gzip' },
    { name: 'the identity tag, weak, accepting no coding', held: 'identity', weak: true, status: 304, coding: 'identity' },
    { name: 'the brotli tag, accepting both', held: 'br', accept: 'gzip, deflate, br', status: 304, coding: 'br' },
    { name: 'the identity tag, accepting no coding', held: 'identity', status: 304, coding: 'identity' },
    { name: 'the gzip tag, now accepting brotli', held: 'gzip', accept: 'br', status: 200, coding: 'br' },
    { name: 'the gzip tag, now accepting no coding', held: 'gzip', status: 200, coding: 'identity' },
    { name: 'the identity tag, now accepting gzip', held: 'identity', accept: 'gzip', status: 200, coding: 'gzip' },
    { name: 'the brotli tag, gzip only', held: 'br', accept: 'gzip', status: 200, coding: 'gzip' },
    { name: '*, accepting gzip', held: '*', accept: 'gzip', status: 304, coding: 'gzip' },
    { name: '*, accepting no coding', held: '*', status: 304, coding: 'identity' },
  ])('answers a client holding $name with $status', async ({ held, weak, strong, accept, status, coding }) => {
    const base = (await start())[which];
    const tags = await tagsOf(base);
    const opaque = held === '*' ? '*' : tags[held].replace(/^W\//, '');
    const tag = held === '*' ? '*' : weak ? `W/${opaque}` : strong ? opaque : tags[held];
    const answer = await send(base, { 'If-None-Match': tag, ...(accept ? { 'Accept-Encoding': accept } : {}) });
    expect(answer.status).toBe(status);
    // A 304 names the representation the client's copy stands for; a 200 the one it carries.
    expect(answer.headers.etag).toBe(tags[coding]);
    expect(answer.headers.vary).toMatch(/^Accept-Encoding\b/);
    if (status === 200) expect(answer.headers['content-encoding']).toBe(coding === 'identity' ? undefined : coding);
    else expect(answer.body.length).toBe(0);
  });
});
