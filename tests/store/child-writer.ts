/**
 * A second process for the concurrency tests: commits `count` articles to one
 * source of a SQLite store file, one commit each; prints `started` after the
 * first commit (so the parent can overlap its own writes) and `done` at the end.
 * Usage: node --import tsx child-writer.ts <file> <sourceId> <count>
 */
import { openSqliteStore } from '../../src/store/index.js';
import { article, at, change, state } from './fixtures.js';

const [file, sourceId, countText] = process.argv.slice(2);
if (!file || !sourceId || !countText) {
  process.stderr.write('usage: child-writer.ts <file> <sourceId> <count>\n');
  process.exit(2);
}
const count = Number(countText);
const store = await openSqliteStore({ file });
try {
  for (let i = 0; i < count; i++) {
    const upserts = [article(sourceId, `${sourceId}-${i}`, { published: at(i), contentHtml: `<p>${'x'.repeat(2000)}</p>` })];
    await store.commitSource(change(sourceId, { state: state(sourceId, { revision: i + 1 }), upserts }));
    if (i === 0) process.stdout.write('started\n');
  }
  process.stdout.write('done\n');
} finally {
  await store.close();
}
