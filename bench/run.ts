/**
 * `npm run bench`: byline's benchmark suite. Runs the scenarios named by flags
 * (all of them when none is named), prints a table of every figure with its
 * target and PASS/MISS, and writes bench/results.json.
 *
 * Flags: see USAGE below (`npm run bench -- --help`).
 *
 * byline runs from dist/ (rebuilt first when src/ is newer). Every figure is
 * compared with a baseline measured in the same run, because timings on a
 * shared machine drift from one minute to the next.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cycleScenario } from './cycle/scenario.js';
import { ensureBuilt } from './lib/byline.js';
import { ROOT, runStep } from './lib/child.js';
import { ResultsSchema, type PipelineFigures, type Results } from './lib/results.js';
import { evaluate, formatMarkdown, formatTable } from './lib/targets.js';
import { PipelineReportSchema } from './pipeline-messages.js';
import { renderScenario } from './render/scenario.js';
import { serveScenario } from './serve/scenario.js';

const USAGE = `usage: npm run bench -- [--cycle] [--pipeline] [--render] [--serve] [--quick]
         [--sources N] [--runs N] [--seconds N] [--corpus DIR] [--out FILE] [--markdown]

  --cycle --pipeline --render --serve   scenarios to run (default: all)
  --quick                               a small version of each (under a minute)
  --sources N                           sources in the cycle (default 500; 1000 checks the RSS target)
  --runs N                              repetitions for medians (default 3; quick 1)
  --seconds N                           length of each serve load run (default 10; quick 2)
  --corpus DIR                          real-world feeds for the pipeline (default ../shared/corpus)
  --out FILE                            where to write the results (default bench/results.json)
  --markdown                            also print the table as Markdown`;

const OPTIONS = {
  cycle: { type: 'boolean', default: false },
  pipeline: { type: 'boolean', default: false },
  render: { type: 'boolean', default: false },
  serve: { type: 'boolean', default: false },
  quick: { type: 'boolean', default: false },
  sources: { type: 'string' },
  runs: { type: 'string' },
  seconds: { type: 'string' },
  corpus: { type: 'string', default: path.resolve(ROOT, '../shared/corpus') },
  out: { type: 'string', default: path.join(ROOT, 'bench', 'results.json') },
  markdown: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** A mistyped flag ends the run with the usage, exit code 2, before anything is measured. */
function usageError(message: string): never {
  console.error(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function readCommandLine(): ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'] {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

/** A whole number of at least 1, or the default when the flag is absent. */
function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 1 ? parsed : usageError(`--${flag} wants a whole number of at least 1, not "${value}"`);
}

const values = readCommandLine();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const quick = values.quick ?? false;
const chosen = ['cycle', 'pipeline', 'render', 'serve'].filter((name) => values[name as 'cycle']);
const run = (name: string): boolean => chosen.length === 0 || chosen.includes(name);
const runs = count('runs', values.runs, quick ? 1 : 3);
const sources = count('sources', values.sources, quick ? 32 : 500);
const seconds = count('seconds', values.seconds, quick ? 2 : 10);
const corpus = path.resolve(values.corpus);

async function attempt<T>(name: string, errors: string[], scenario: () => Promise<T>): Promise<T | null> {
  if (!run(name)) return null;
  console.error(`bench: ${name}…`);
  try {
    return await scenario();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`${name}: ${message}`);
    console.error(`bench: ${name} failed: ${message}`);
    return null;
  }
}

const errors: string[] = [];
const loadStart = loadavg()[0] ?? 0;
const buildNote = ensureBuilt();
if (buildNote) errors.push(buildNote);

const cycle = await attempt('cycle', errors, () =>
  cycleScenario({ sources, concurrency: 32, runs }),
);
const pipeline = await attempt('pipeline', errors, async (): Promise<PipelineFigures> => {
  const report = await runStep(
    'pipeline.ts',
    ['--feeds', quick ? '4' : '20', '--rounds', String(quick ? 1 : Math.max(runs, 5)), '--corpus', corpus],
    PipelineReportSchema,
  );
  return { itemsPerSec: report.generated.itemsPerSec, baselineItemsPerSec: report.generated.baselineItemsPerSec, ...report };
});
const render = await attempt('render', errors, () =>
  renderScenario(quick ? { sizes: [1000], runs: 2, feeds: 4 } : { sizes: [1000, 10_000], runs: Math.max(runs, 5), feeds: 20 }),
);
const serve = await attempt('serve', errors, () => serveScenario({ seconds, connections: 50, repeat: !quick }));

const measured = {
  cycle,
  pipeline,
  render,
  serve,
  node: process.version,
  cpus: availableParallelism(),
  date: new Date().toISOString(),
  quick,
  loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
  errors,
};
const results: Results = ResultsSchema.parse({ ...measured, targets: evaluate(measured) });
writeFileSync(values.out!, `${JSON.stringify(results, null, 2)}\n`);

console.log(`\nbyline benchmarks: node ${results.node}, ${results.cpus} CPUs, load average ${loadStart.toFixed(1)} -> ${results.loadAverage.end.toFixed(1)}${quick ? ', --quick' : ''}\n`);
console.log(formatTable(results.targets));
if (values.markdown) console.log(`\n${formatMarkdown(results.targets)}`);
for (const error of errors) console.log(`\nerror: ${error}`);
console.log(`\nwrote ${path.relative(process.cwd(), values.out!) || values.out}`);
