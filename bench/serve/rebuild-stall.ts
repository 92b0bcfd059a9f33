/**
 * The serve scenario's rebuild step: byline's site, composed as `byline run`
 * composes it (from dist/), serving the 1,000-item store. Every output is
 * built once, then a change of revision (image lengths learned, as after a
 * cycle: every feed's bytes change) makes it rebuild every output while the
 * requests that triggered the rebuilds are served their previous bodies. The
 * figure is the longest event-loop stall (perf_hooks monitorEventLoopDelay)
 * from the change until every rebuild is done, with the render thread and,
 * as the baseline of the same run, rendering on the event loop.
 *
 *   --dir DIR   (holds feeds/ and store.sqlite, written by `byline fetch`)
 */
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fromDist } from '../lib/byline.js';
import { report } from '../lib/child.js';
import { round } from '../lib/stats.js';
import { RebuildStallSchema } from './messages.js';

type ConfigModule = typeof import('../../src/config/index.js');
type StoreModule = typeof import('../../src/store/index.js');
type ServerModule = typeof import('../../src/server/index.js');
type PublishModule = typeof import('../../src/jobs/publish.js');
type ImageLengths = import('../../src/jobs/image-lengths.js').ImageLengths;


const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const dir = values.dir!;
const { loadConfig } = await fromDist<ConfigModule>('config/index.js');
const { createStore } = await fromDist<StoreModule>('store/index.js');
const { createSite, listen } = await fromDist<ServerModule>('server/index.js');
const { loadSnapshot, outputPaths } = await fromDist<PublishModule>('jobs/publish.js');

const config = loadConfig(path.join(dir, 'feeds'));
const storeUrl = `sqlite:${path.join(dir, 'store.sqlite')}`;

/** Image lengths that, once `learn()` is called, know a length for each of `urls`: every feed's bytes change. */
function lengths(urls: readonly string[]): ImageLengths & { learn(): void } {
  let known = new Map<string, number>();
  let version = 0;
  return {
    get: (url) => known.get(url) ?? null,
    typeOf: () => null,
    fill: async () => 0,
    learned: () => [...known].map(([url, length]) => [url, { length, type: null }]),
    get version() {
      return version;
    },
    learn() {
      known = new Map(urls.map((url) => [url, 1000 + url.length]));
      version++;
    },
  };
}

async function longestStall(threaded: boolean): Promise<{ maxMs: number; paths: number }> {
  const store = await createStore({ url: storeUrl });
  const snapshot = await loadSnapshot(config, store);
  const imageLengths = lengths(snapshot.articles.flatMap((article) => (article.image ? [article.image.url] : [])));
  const site = createSite({ config, store, imageLengths, checkIntervalMs: 0, ...(threaded ? { renderThread: { store: { url: storeUrl } } } : {}) });
  const { server, url } = await listen(site.app, 0, '127.0.0.1');
  const paths = outputPaths(snapshot);
  const getAll = async (): Promise<void> => {
    for (const file of paths) await (await fetch(new URL(file, url))).arrayBuffer();
  };
  await getAll();
  await site.outputs.idle();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  imageLengths.learn();
  await getAll();
  await site.outputs.idle();
  delay.disable();
  server.close();
  server.closeAllConnections();
  await site.close();
  await store.close();
  return { maxMs: round(delay.max / 1e6, 1), paths: paths.length };
}

const inline = await longestStall(false);
const thread = await longestStall(true);
report(RebuildStallSchema.parse({ threadMaxMs: thread.maxMs, inlineMaxMs: inline.maxMs, paths: thread.paths }));
