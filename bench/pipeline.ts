/**
 * Scenario 2, the read pipeline on one thread: byline's decode + parse +
 * normalize + sanitize (parseFeed then normalizeFeed, exactly what
 * readDocument and so each pool worker runs) beside bare rss-parser
 * parseString on the same bytes, in the same process, alternating round by
 * round. byline's time is split into its two halves, so a miss says which
 * one to work on.
 *
 *   --feeds N (generated feeds) --rounds R --corpus DIR (optional real-world feeds)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Parser from 'rss-parser';
import { fromDist } from './lib/byline.js';
import { report } from './lib/child.js';
import { generateCorpus } from './lib/generate.js';
import { median, round } from './lib/stats.js';
import type { PipelineCorpus, PipelineReport } from './pipeline-messages.js';

type ParseModule = typeof import('../src/parse/index.js');
type NormalizeModule = typeof import('../src/normalize/index.js');
type Source = import('../src/model/index.js').Source;

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    corpus: { type: 'string' },
  },
});

const { parseFeed } = await fromDist<ParseModule>('parse/index.js');
const { normalizeFeed } = await fromDist<NormalizeModule>('normalize/index.js');

interface Document {
  name: string;
  bytes: Buffer;
  contentType: string | null;
}

const SOURCE: Source = { id: 'bench', name: 'Bench', url: 'https://bench.example/feed.xml', enabled: true };
const NOW = new Date('2026-11-26T12:00:00Z');
const bare = new Parser();

/** Real-world feeds listed in realworld.tsv that both byline and bare rss-parser can read. */
function realWorld(dir: string): Document[] {
  const listing = path.join(dir, 'realworld.tsv');
  if (!existsSync(listing)) return [];
  return readFileSync(listing, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t')[0] ?? '')
    .filter((file) => file !== '' && existsSync(path.join(dir, file)))
    .map((file) => ({ name: file, bytes: readFileSync(path.join(dir, file)), contentType: file.endsWith('.json') ? 'application/feed+json' : null }));
}

/** byline on one document: decode + parse, then normalize + sanitize (what readDocument runs), timed apart. */
async function bylineRead(doc: Document): Promise<{ items: number; parseMs: number; normalizeMs: number }> {
  const t0 = performance.now();
  const { feed } = await parseFeed(doc.bytes, { contentType: doc.contentType });
  const t1 = performance.now();
  const candidates = normalizeFeed(feed, { source: SOURCE, feedUrl: SOURCE.url, now: NOW });
  return { items: candidates.length, parseMs: t1 - t0, normalizeMs: performance.now() - t1 };
}

/** Bare rss-parser on one document, decoding included. */
async function bareRead(doc: Document): Promise<number> {
  const feed = await bare.parseString(doc.bytes.toString('utf8'));
  return feed.items.length;
}

/**
 * Keeps the documents both sides read without an error (bare rss-parser reads
 * no JSON Feed, for one). Being a full pass of each side, it is also the
 * untimed warm-up that keeps JIT compilation out of the figures.
 */
async function comparable(docs: Document[]): Promise<{ kept: Document[]; skipped: string[] }> {
  const kept: Document[] = [];
  const skipped: string[] = [];
  for (const doc of docs) {
    const ok = await Promise.all([bylineRead(doc), bareRead(doc)]).then(
      () => true,
      () => false,
    );
    if (ok) kept.push(doc);
    else skipped.push(doc.name);
  }
  return { kept, skipped };
}

/** Null when no document of the corpus can be compared (an absent real-world corpus, for one). */
async function measure(label: string, docs: Document[], rounds: number): Promise<PipelineCorpus | null> {
  const { kept, skipped } = await comparable(docs);
  if (kept.length === 0) {
    console.error(`bench: pipeline ${label}: no feeds both sides can read (${docs.length} found), skipped`);
    return null;
  }
  const megabytes = kept.reduce((sum, doc) => sum + doc.bytes.length, 0) / 1e6;
  const ours: { ms: number; parseMs: number; normalizeMs: number }[] = [];
  const theirs: number[] = [];
  let items = 0;
  let bareItems = 0;
  const runOurs = async (): Promise<void> => {
    const run = { ms: 0, parseMs: 0, normalizeMs: 0 };
    items = 0;
    for (const doc of kept) {
      const read = await bylineRead(doc);
      items += read.items;
      run.parseMs += read.parseMs;
      run.normalizeMs += read.normalizeMs;
    }
    run.ms = run.parseMs + run.normalizeMs;
    ours.push(run);
  };
  const runTheirs = async (): Promise<void> => {
    bareItems = 0;
    const started = performance.now();
    for (const doc of kept) bareItems += await bareRead(doc);
    theirs.push(performance.now() - started);
  };
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first, so neither always runs on a warmer (or busier) machine.
    if (round % 2 === 0) {
      await runOurs();
      await runTheirs();
    } else {
      await runTheirs();
      await runOurs();
    }
  }
  const ms = median(ours.map((run) => run.ms));
  const bareMs = median(theirs);
  console.error(`bench: pipeline ${label}: byline ${Math.round(ms)} ms, bare rss-parser ${Math.round(bareMs)} ms for ${kept.length} feeds`);
  return {
    feeds: kept.length,
    skipped,
    megabytes: round(megabytes, 2),
    items,
    baselineItems: bareItems,
    ms: round(ms, 0),
    baselineMs: round(bareMs, 0),
    itemsPerSec: round(items / (ms / 1000), 0),
    baselineItemsPerSec: round(bareItems / (bareMs / 1000), 0),
    mbPerSec: round(megabytes / (ms / 1000), 2),
    baselineMbPerSec: round(megabytes / (bareMs / 1000), 2),
    parseMs: round(median(ours.map((run) => run.parseMs)), 0),
    normalizeMs: round(median(ours.map((run) => run.normalizeMs)), 0),
  };
}

const rounds = Number(values.rounds);
const generated = generateCorpus(Number(values.feeds)).map((bytes, i) => ({ name: `generated-${i}`, bytes, contentType: null }));
const generatedFigures = await measure('generated', generated, rounds);
if (!generatedFigures) throw new Error('pipeline: the generated corpus could not be read');
const result: PipelineReport = {
  generated: generatedFigures,
  realWorld: values.corpus ? await measure('real-world', realWorld(values.corpus), rounds) : null,
};
report(result);
