/**
 * One measured run of byline's real cycle code, as `byline fetch` composes it
 * (openContext: config folder, SQLite store, fetcher, parse pool) against the
 * fixture server: a cold cycle on an empty store, a warm one (every source
 * answers 304) and an unchanged one (200, identical bytes, no validators).
 *
 *   --base URL --sources N --concurrency C --dir TEMP
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { fromDist } from '../lib/byline.js';
import { report } from '../lib/child.js';
import { cpuMsSince, peakRssMb } from '../lib/stats.js';
import type { BylineRun, Phase } from './messages.js';

type ContextModule = typeof import('../../src/cli/context.js');
type CycleModule = typeof import('../../src/jobs/run-cycle.js');
type ConfigModule = typeof import('../../src/config/index.js');

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    sources: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '32' },
    dir: { type: 'string' },
  },
});
const base = values.base!;
const sources = Number(values.sources);
const concurrency = Number(values.concurrency);
const dir = values.dir!;

function writeConfig(): string {
  const feeds = path.join(dir, 'feeds');
  mkdirSync(feeds, { recursive: true });
  writeFileSync(
    path.join(feeds, 'byline.yaml'),
    [
      'title: Bench',
      'link: http://127.0.0.1:8080/',
      'fetch:',
      '  allowPrivateAddresses: true',
      `  concurrency: ${concurrency}`,
      // One fixture host serves every source, so the per-host limit must not be the bottleneck.
      `  perHostConcurrency: ${Math.min(concurrency, 32)}`,
      '  timeoutMs: 120000',
      'retention:',
      // The generated items are dated early 2026; keep them whatever the machine's clock says.
      '  maxAgeDays: 36500',
      '',
    ].join('\n'),
  );
  const lines = Array.from({ length: sources }, (_, i) => `  - id: s${i}\n    name: Bench Source ${i}\n    url: ${base}/feeds/${i}.xml`);
  writeFileSync(path.join(feeds, 'sources.yaml'), `sources:\n${lines.join('\n')}\n`);
  return feeds;
}

async function setMode(mode: 'validators' | 'plain'): Promise<void> {
  const response = await fetch(`${base}/_mode/${mode}`);
  if (!response.ok) throw new Error(`fixture server: /_mode/${mode} answered ${response.status}`);
}

const { openContext } = await fromDist<ContextModule>('cli/context.js');
const { runCycle } = await fromDist<CycleModule>('jobs/run-cycle.js');
const { enabledSources } = await fromDist<ConfigModule>('config/index.js');

await setMode('validators');
const context = await openContext({ config: writeConfig(), store: `sqlite:${path.join(dir, 'store.sqlite')}` }, { create: true });
const configured = enabledSources(context.config);
const ids = configured.map((source) => source.id);
const delay = monitorEventLoopDelay({ resolution: 10 });

async function bytesSoFar(): Promise<number> {
  const states = await context.store.getStates(ids);
  let total = 0;
  for (const state of states.values()) total += state.bytesFetched;
  return total;
}

async function phase(): Promise<Phase> {
  const bytesBefore = await bytesSoFar();
  delay.reset();
  delay.enable();
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  const cycle = await runCycle({
    sources: configured,
    deps: context.deps,
    concurrency: context.config.settings.fetch.concurrency,
    force: true,
  });
  const wallMs = performance.now() - started;
  const cpuMs = cpuMsSince(cpu);
  const mainBusyMs = performance.eventLoopUtilization(loop).active;
  delay.disable();
  const statuses: Record<string, number> = {};
  for (const outcome of cycle.outcomes) statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
  return {
    wallMs,
    cpuMs,
    maxStallMs: delay.max / 1e6,
    p99StallMs: delay.percentile(99) / 1e6,
    mainBusyMs,
    bytes: (await bytesSoFar()) - bytesBefore,
    itemsAdded: cycle.outcomes.reduce((sum, outcome) => sum + outcome.added, 0),
    statuses,
  };
}

/**
 * The checkpoint the store's writer defers until its writes pause, which
 * between real cycles comes long before the next one: with no reader on the
 * WAL, its PASSIVE and TRUNCATE checkpoints come to one TRUNCATE, run here so
 * that it is timed and the warm cycle starts from a checkpointed store and an
 * empty WAL, as it would.
 */
function checkpointNow(): { ms: number; walMb: number } {
  const file = path.join(dir, 'store.sqlite');
  const db = new Database(file);
  try {
    // TRUNCATE reports the WAL it leaves (none), so its size is read before.
    const walMb = statSync(`${file}-wal`).size / 1e6;
    const started = performance.now();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { ms: performance.now() - started, walMb };
  } finally {
    db.close();
  }
}

const cold = await phase();
const coldCheckpoint = checkpointNow();
const warm = await phase();
await setMode('plain');
const unchanged = await phase();
const stats = context.deps.pool?.stats();
const run: BylineRun = {
  cold,
  warm,
  unchanged,
  coldCheckpoint,
  peakRssMb: peakRssMb(),
  poolPeakBusy: stats?.peakBusy ?? 0,
  poolSize: stats?.size ?? 0,
};
await context.close();
report(run);
