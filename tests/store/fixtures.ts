/**
 * Builders for the store tests: valid articles, states and changes with only
 * the fields a test cares about spelled out, plus temp-dir and port helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { initialSourceState } from '../../src/model/index.js';
import type { Article, SourceState } from '../../src/model/index.js';
import type { SourceChange } from '../../src/store/index.js';

/** An ISO time `minutes` after 2024-05-01T00:00Z, so tests can order articles by a number. */
export function at(minutes: number): string {
  return new Date(Date.UTC(2024, 4, 1) + minutes * 60_000).toISOString();
}

/** A complete, valid article of `sourceId`; `overrides` replace fields. */
export function article(sourceId: string, id: string, overrides: Partial<Article> = {}): Article {
  const url = `https://${sourceId}.example/posts/${encodeURIComponent(id)}`;
  return {
    id,
    guid: `urn:byline:${id}`,
    sourceId,
    title: `Title of ${id}`,
    url,
    upstreamGuid: `${sourceId}-${id}`,
    published: at(0),
    dateFromSource: true,
    updated: null,
    firstSeen: at(1000),
    authors: ['Ada Lovelace'],
    summary: `Summary of ${id} — with ünïcode and "quotes"`,
    contentHtml: `<p>Body of <b>${id}</b></p>`,
    image: { url: `${url}/cover.png`, type: 'image/png', length: 1234 },
    categories: ['ai', 'research'],
    credit: {
      sourceId,
      sourceName: `Source ${sourceId}`,
      sourceSite: `https://${sourceId}.example/`,
      feedUrl: `https://${sourceId}.example/feed.xml`,
      originalUrl: url,
      creditLine: `Please credit ${sourceId}.`,
      license: 'CC-BY-4.0',
      via: [{ name: 'Upstream Wire', url: 'https://wire.example/', feedUrl: null }],
    },
    ...overrides,
  };
}

/** A state of `sourceId` with a few non-default fields, so a round trip proves more than defaults. */
export function state(sourceId: string, overrides: Partial<SourceState> = {}): SourceState {
  return {
    ...initialSourceState(sourceId),
    status: 'ok',
    etag: '"abc"',
    lastModified: 'Wed, 01 May 2024 00:00:00 GMT',
    lastAttemptAt: at(5),
    lastSuccessAt: at(5),
    lastHttpStatus: 200,
    ...overrides,
  };
}

/** A change of `sourceId` with nothing in it but the state; `parts` fill in the rest. */
export function change(sourceId: string, parts: Partial<Omit<SourceChange, 'sourceId'>> = {}): SourceChange {
  return { sourceId, state: state(sourceId), upserts: [], deletes: [], aliases: {}, ...parts };
}

/** A fresh temporary directory and its removal. */
export function tempDir(prefix = 'byline-store-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (nothing listens on it when this resolves). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
