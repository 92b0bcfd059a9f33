/**
 * `byline build --out DIR`: writes every published output from the store for
 * static hosting: the feeds, the newsletter profile, the archive pages and
 * their index, the HTML pages, the XSL stylesheet, OPML and alerts. The tree
 * is the one `byline run` serves, path for path. Recording the completed
 * archive pages rewrites one record of the store, which a cycle's last step
 * rewrites too: the build does it holding the cycle lock, and leaves it to
 * the cycle under way when another process holds the lock.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CycleLockedError } from '../../errors.js';
import { createImageLengths, unknownImageUrls } from '../../jobs/image-lengths.js';
import { createArchiveIndex, fixArchivePages } from '../../jobs/archive.js';
import { withCycleLock, type HeldCycleLock } from '../../jobs/cycle-lock.js';
import { loadSnapshot, outputPaths, renderPath } from '../../jobs/publish.js';
import { openContext, type GlobalOptions } from '../context.js';

export async function buildCommand(options: GlobalOptions & { out: string }): Promise<number> {
  const context = await openContext(options, { create: false });
  try {
    const { config, store } = context;
    const { fetch } = config.settings;
    const imageLengths = createImageLengths({
      allowPrivateAddresses: fetch.allowPrivateAddresses,
      ...(fetch.userAgent !== undefined ? { userAgent: fetch.userAgent } : {}),
    });
    const newest = await store.listNewest({ sourceIds: config.sources.map((s) => s.id), limit: config.settings.output.maxItems });
    await imageLengths.fill(unknownImageUrls(newest));
    // Record the archive pages completed since the last build or cycle, so retention can no longer move them.
    const archiveIndex = createArchiveIndex();
    // Fenced with the lock: should it pass to a cycle meanwhile, the cycle's record stands and this build fails.
    const fix = (lock: HeldCycleLock) =>
      fixArchivePages(store, archiveIndex, config.sources.map((s) => s.id), config.settings.output.archivePageSize, new Date(), lock);
    const fixed = await withCycleLock(store, fix, { onWarning: (message) => console.error(`byline: ${message}`) }).catch((error: unknown) => {
      if (!(error instanceof CycleLockedError)) throw error;
      const { pid, hostname } = error.holder;
      console.error(`byline: a cycle is running on this store (pid ${pid} on ${hostname}): it records the completed archive pages, so this build takes them as recorded`);
      return null;
    });
    if (fixed?.replaced) console.error(`byline: the recorded archive pages were unreadable and were recorded anew (${fixed.replaced})`);
    if (fixed && fixed.added > 0) console.log(`recorded ${fixed.added} completed archive page(s)`);
    const snapshot = await loadSnapshot(config, store, { imageLengths, archiveIndex });
    for (const file of outputPaths(snapshot)) {
      const text = await renderPath(snapshot, file);
      if (text === null) continue;
      const target = path.join(options.out, ...file.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      // Write then rename, so a web server never serves a half-written feed.
      await writeFile(`${target}.tmp`, text);
      await rename(`${target}.tmp`, target);
      console.log(`wrote ${target}`);
    }
    return 0;
  } finally {
    await context.close();
  }
}
