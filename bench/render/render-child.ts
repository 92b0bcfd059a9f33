/**
 * One render step: builds a combined set of articles the way byline stores
 * them (generated feeds read by readDocument, then repeated under new ids up
 * to the largest size), and times one writer in one format at each size.
 * Each format and writer runs in its own process, so peak RSS is its own.
 *
 *   --format rss|atom|json --writer byline|template --sizes 1000,10000 --runs R --feeds F
 */
import { parseArgs } from 'node:util';
import { fromDist } from '../lib/byline.js';
import { report } from '../lib/child.js';
import { generateCorpus } from '../lib/generate.js';
import { median, peakRssMb, round } from '../lib/stats.js';
import { RENDER_FORMATS, RENDER_WRITERS, type RenderReport } from './messages.js';
import { templateAtom, templateJson, templateRss } from './template.js';

type Article = import('../../src/model/index.js').Article;
type RenderModule = typeof import('../../src/render/index.js');
type ReadModule = typeof import('../../src/jobs/read-document.js');

const { values } = parseArgs({
  options: {
    format: { type: 'string', default: 'rss' },
    writer: { type: 'string', default: 'byline' },
    sizes: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '5' },
    feeds: { type: 'string', default: '20' },
  },
});
const format = RENDER_FORMATS.find((name) => name === values.format);
const writer = RENDER_WRITERS.find((name) => name === values.writer);
if (!format || !writer) throw new Error(`render: unknown format/writer ${values.format}/${values.writer}`);
const sizes = values.sizes!.split(',').map(Number);
const runs = Number(values.runs);

const { renderRss, renderAtom, renderJsonFeed, FeedMetaSchema } = await fromDist<RenderModule>('render/index.js');
const { readDocument } = await fromDist<ReadModule>('jobs/read-document.js');

async function buildArticles(count: number): Promise<Article[]> {
  const now = new Date('2026-11-26T12:00:00Z');
  const base: Article[] = [];
  const feeds = generateCorpus(Number(values.feeds));
  for (const [i, bytes] of feeds.entries()) {
    const source = { id: `s${i}`, name: `Bench Source ${i}`, url: `https://feeds.example/${i}.xml`, site: `https://source-${i}.example/`, credit: `Please credit Bench Source ${i}.`, enabled: true };
    const { candidates } = await readDocument({ bytes, contentType: null, source, feedUrl: source.url, now });
    base.push(...candidates.map((candidate) => candidate.article));
  }
  // Copies under new ids and dates stand in for more sources: same shape, distinct items.
  const articles: Article[] = [];
  for (let copy = 0; articles.length < count; copy++) {
    for (const article of base) {
      if (articles.length >= count) break;
      const shift = copy * 86_400_000;
      articles.push({
        ...article,
        id: `${article.id}-${copy}`,
        guid: `${article.guid}-${copy}`,
        url: `${article.url}${article.url.includes('?') ? '&' : '?'}copy=${copy}`,
        published: new Date(Date.parse(article.published) - shift).toISOString(),
        firstSeen: new Date(Date.parse(article.firstSeen) - shift).toISOString(),
      });
    }
  }
  return articles.sort((a, b) => (a.published < b.published ? 1 : a.published > b.published ? -1 : 0));
}

const all = await buildArticles(Math.max(...sizes));
const meta = FeedMetaSchema.parse({
  title: 'Byline: AI industry news',
  description: 'Benchmark feed',
  homeUrl: 'https://byline.example/',
  selfUrls: { rss: 'https://byline.example/feed.xml', atom: 'https://byline.example/atom.xml', json: 'https://byline.example/feed.json', html: 'https://byline.example/' },
  language: 'en',
  updated: all[0]?.published ?? new Date(0).toISOString(),
});
const templateMeta = { title: meta.title, homeUrl: meta.homeUrl, selfUrl: meta.selfUrls[format], updated: meta.updated };
const write: (articles: Article[]) => string =
  writer === 'template'
    ? { rss: (a: Article[]) => templateRss(templateMeta, a), atom: (a: Article[]) => templateAtom(templateMeta, a), json: (a: Article[]) => templateJson(templateMeta, a) }[format]
    : { rss: (a: Article[]) => renderRss(meta, a), atom: (a: Article[]) => renderAtom(meta, a), json: (a: Article[]) => renderJsonFeed(meta, a) }[format];

global.gc?.();
const rssBeforeMb = peakRssMb();
const result: RenderReport = { format, writer, ms: {}, cpuMs: {}, outputMb: {}, rssBeforeMb: round(rssBeforeMb, 0), peakRssMb: 0 };
for (const size of sizes) {
  const articles = all.slice(0, size);
  // One untimed render first: the JIT warms up on it.
  const first = write(articles);
  result.outputMb[String(size)] = round(Buffer.byteLength(first) / 1e6, 2);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    write(articles);
    times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  result.ms[String(size)] = round(median(times), 1);
  result.cpuMs[String(size)] = round(median(cpuTimes), 1);
}
result.peakRssMb = round(peakRssMb(), 0);
report(result);
