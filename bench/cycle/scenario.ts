/**
 * Scenario 1, the fetch cycle: byline's cold, warm and unchanged cycles and
 * the naive baseline, against N generated feeds served by the fixture server
 * (its own process) with 100 ms of latency per response. Byline and the
 * baseline alternate run by run, every figure is a median over runs, and the
 * ratios the targets judge are medians of each run's own ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exited, firstMessage, forkBench, runStep } from '../lib/child.js';
import type { CycleFigures } from '../lib/results.js';
import { median, medianOf, round } from '../lib/stats.js';
import { BylineRunSchema, FixtureReadySchema, NaiveRunSchema, type BylineRun, type NaiveRun } from './messages.js';

export const LATENCY_MS = 100;

export interface CycleOptions {
  sources: number;
  concurrency: number;
  runs: number;
}

function problemsOf(run: BylineRun, sources: number): string[] {
  const problems: string[] = [];
  const expect = (name: string, statuses: Record<string, number>, wanted: string): void => {
    if ((statuses[wanted] ?? 0) !== sources) problems.push(`${name} cycle: ${JSON.stringify(statuses)} (expected ${sources} ${wanted})`);
  };
  expect('cold', run.cold.statuses, 'updated');
  expect('warm', run.warm.statuses, 'not_modified');
  expect('unchanged', run.unchanged.statuses, 'unchanged');
  return problems;
}

/**
 * One untimed pass over every feed before the first run: the fixture server's
 * own warm-up (compiling its request path, its first writes of each body)
 * would otherwise land on whichever client goes first, and byline goes first
 * in two runs of three.
 */
async function warmFixture(base: string, sources: number, concurrency: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < sources) {
      const response = await fetch(`${base}/feeds/${next++}.xml`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Runs the scenario; the fixture server is stopped whatever happens. */
export async function cycleScenario(options: CycleOptions): Promise<CycleFigures> {
  const server = forkBench('fixture-server.ts', ['--feeds', String(options.sources), '--delay-ms', String(LATENCY_MS)]);
  try {
    const ready = await firstMessage(server, FixtureReadySchema, 'fixture server');
    const base = `http://127.0.0.1:${ready.port}`;
    await warmFixture(base, options.sources, options.concurrency);
    const common = ['--base', base, '--sources', String(options.sources), '--concurrency', String(options.concurrency)];
    const byline: BylineRun[] = [];
    const naive: NaiveRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      const runByline = async (): Promise<void> => {
        const dir = mkdtempSync(path.join(tmpdir(), 'byline-bench-'));
        try {
          byline.push(await runStep('cycle/byline-cycle.ts', [...common, '--dir', dir], BylineRunSchema));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      };
      const runNaive = async (): Promise<void> => {
        naive.push(await runStep('cycle/naive-cycle.ts', common, NaiveRunSchema));
      };
      // Alternate which goes first so drift on a shared machine does not favour one side.
      if (run % 2 === 0) {
        await runByline();
        await runNaive();
      } else {
        await runNaive();
        await runByline();
      }
      console.error(
        `bench: cycle run ${run + 1}/${options.runs}: cold ${Math.round(byline.at(-1)!.cold.wallMs)} ms, ` +
          `warm ${Math.round(byline.at(-1)!.warm.wallMs)} ms, unchanged ${Math.round(byline.at(-1)!.unchanged.wallMs)} ms, ` +
          `baseline ${Math.round(naive.at(-1)!.wallMs)} ms`,
      );
    }
    const coldMs = medianOf(byline, (run) => run.cold.wallMs);
    const coldRatios = byline.map((run, i) => run.cold.wallMs / naive[i]!.wallMs);
    const itemsStored = medianOf(byline, (run) => run.cold.itemsAdded);
    const failures = naive.reduce((sum, run) => sum + run.failures, 0);
    return {
      sources: options.sources,
      concurrency: options.concurrency,
      latencyMs: LATENCY_MS,
      floorMs: Math.ceil(options.sources / options.concurrency) * LATENCY_MS,
      coldMs: round(coldMs, 0),
      warmMs: round(medianOf(byline, (run) => run.warm.wallMs), 0),
      unchangedMs: round(medianOf(byline, (run) => run.unchanged.wallMs), 0),
      coldCpuMs: round(medianOf(byline, (run) => run.cold.cpuMs), 0),
      coldMainBusyMs: round(medianOf(byline, (run) => run.cold.mainBusyMs), 0),
      coldCheckpointMs: round(medianOf(byline, (run) => run.coldCheckpoint.ms), 0),
      coldWalMb: round(medianOf(byline, (run) => run.coldCheckpoint.walMb), 0),
      warmCpuMs: round(medianOf(byline, (run) => run.warm.cpuMs), 0),
      unchangedCpuMs: round(medianOf(byline, (run) => run.unchanged.cpuMs), 0),
      baselineMs: round(medianOf(naive, (run) => run.wallMs), 0),
      coldToBaseline: round(median(coldRatios), 3),
      coldToBaselineRuns: coldRatios.map((ratio) => round(ratio, 3)),
      warmCpuShare: round(medianOf(byline, (run) => run.warm.cpuMs / run.cold.cpuMs), 4),
      unchangedCpuShare: round(medianOf(byline, (run) => run.unchanged.cpuMs / run.cold.cpuMs), 4),
      baselineCpuMs: round(medianOf(naive, (run) => run.cpuMs), 0),
      baselineWarmMs: round(medianOf(naive, (run) => run.warmMs), 0),
      baselineWarmCpuMs: round(medianOf(naive, (run) => run.warmCpuMs), 0),
      peakRssMb: round(Math.max(...byline.map((run) => run.peakRssMb)), 0),
      baselinePeakRssMb: round(Math.max(...naive.map((run) => run.peakRssMb)), 0),
      bytesCold: medianOf(byline, (run) => run.cold.bytes),
      bytesWarm: medianOf(byline, (run) => run.warm.bytes),
      bytesUnchanged: medianOf(byline, (run) => run.unchanged.bytes),
      itemsStored,
      itemsPerSec: round(itemsStored / (coldMs / 1000), 0),
      maxStallMs: round(median(byline.map((run) => Math.max(run.cold.maxStallMs, run.warm.maxStallMs, run.unchanged.maxStallMs))), 0),
      p99StallMs: round(medianOf(byline, (run) => run.cold.p99StallMs), 0),
      baselineMaxStallMs: round(medianOf(naive, (run) => run.maxStallMs), 0),
      poolSize: byline[0]?.poolSize ?? 0,
      poolPeakBusy: Math.max(...byline.map((run) => run.poolPeakBusy)),
      runs: options.runs,
      problems: [
        ...byline.flatMap((run) => problemsOf(run, options.sources)),
        ...(failures > 0 ? [`baseline: ${failures} feed(s) failed`] : []),
      ],
    };
  } finally {
    server.kill();
    await exited(server, 'fixture server').catch(() => undefined);
  }
}
