/**
 * The cycle baseline: the simplest aggregator of the same feeds. Node's fetch
 * and rss-parser's parseString, 32 requests in flight, one thread, nothing
 * normalized, sanitized or stored. A second pass sends each feed's ETag back
 * (every answer a 304): the practical floor of a warm cycle on this machine.
 *
 *   --base URL --sources N --concurrency C
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Parser from 'rss-parser';
import { report } from '../lib/child.js';
import { cpuMsSince, peakRssMb } from '../lib/stats.js';
import type { NaiveRun } from './messages.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    sources: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '32' },
  },
});
const base = values.base!;
const sources = Number(values.sources);
const concurrency = Number(values.concurrency);

const parser = new Parser();
const decoder = new TextDecoder();
const delay = monitorEventLoopDelay({ resolution: 10 });
const etags: (string | null)[] = [];
let items = 0;
let bytes = 0;
let failures = 0;

/** Runs `work` over every feed index, `concurrency` at a time. */
async function pass(work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources) {
      const index = next++;
      await work(index).catch(() => {
        failures++;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sources) }, worker));
}

// The previous step may have left the fixture server without validators.
const mode = await fetch(`${base}/_mode/validators`);
if (!mode.ok) throw new Error(`fixture server: /_mode/validators answered ${mode.status}`);

delay.enable();
const cpu = process.cpuUsage();
const started = performance.now();
await pass(async (index) => {
  const response = await fetch(`${base}/feeds/${index}.xml`);
  etags[index] = response.headers.get('etag');
  const body = await response.arrayBuffer();
  bytes += body.byteLength;
  const feed = await parser.parseString(decoder.decode(body));
  items += feed.items.length;
});
const wallMs = performance.now() - started;
const cpuMs = cpuMsSince(cpu);
delay.disable();

const warmCpu = process.cpuUsage();
const warmStarted = performance.now();
await pass(async (index) => {
  const response = await fetch(`${base}/feeds/${index}.xml`, { headers: { 'If-None-Match': etags[index] ?? '' } });
  await response.arrayBuffer();
  if (response.status !== 304) throw new Error(`expected 304, got ${response.status}`);
});
const run: NaiveRun = {
  wallMs,
  cpuMs,
  maxStallMs: delay.max / 1e6,
  bytes,
  items,
  failures,
  peakRssMb: peakRssMb(),
  warmMs: performance.now() - warmStarted,
  warmCpuMs: cpuMsSince(warmCpu),
};
report(run);
