/**
 * Runs a benchmark step in its own Node process, so its CPU time and peak RSS
 * are its own, and gets back one message over IPC, checked against a zod
 * schema.
 *
 * Steps run as plain JavaScript under plain `node`, as byline itself runs from
 * dist/: the bench's TypeScript is transpiled once per bench run into
 * node_modules/.cache. Under tsx's loader every step process also carried the
 * loader's hooks thread (a V8 heap of its own, ~20 MB of RSS) and its
 * per-import work, which a deployed byline never pays.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { z } from 'zod';

/**
 * The project root. A step runs from the transpiled copy, where its own
 * location says nothing about the project, so forkBench passes the root on.
 */
export const ROOT = process.env.BYLINE_BENCH_ROOT ?? path.resolve(import.meta.dirname, '../..');

/** Where the transpiled bench lives; Node resolves its packages from the project's node_modules above it. */
const BUILT = path.join(ROOT, 'node_modules', '.cache', 'byline-bench');

let transpiled = false;

/** Transpiles bench/**\/*.ts to BUILT/bench/**\/*.js (types are only erased; `npx tsc --noEmit` checks them). */
function transpileBench(): void {
  if (transpiled) return;
  // Loaded here, not imported: every step imports this module too, and TypeScript costs a process ~100 MB.
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  rmSync(BUILT, { recursive: true, force: true });
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const out = path.join(BUILT, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
        const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
          fileName: file,
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
        });
        mkdirSync(path.dirname(out), { recursive: true });
        writeFileSync(out, outputText);
      }
    }
  };
  walk(path.join(ROOT, 'bench'));
  writeFileSync(path.join(BUILT, 'package.json'), '{ "type": "module" }\n');
  transpiled = true;
}

/** Forks `script` (relative to bench/, a .ts name) as transpiled JavaScript with IPC; stdout/stderr pass through. */
export function forkBench(script: string, args: string[] = []): ChildProcess {
  transpileBench();
  return fork(path.join(BUILT, 'bench', script.replace(/\.ts$/, '.js')), args, {
    cwd: ROOT,
    env: { ...process.env, BYLINE_BENCH_ROOT: ROOT },
    // BENCH_CPU_PROF_DIR=dir writes a CPU profile of every step (and its worker threads) there.
    execArgv: process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF_DIR] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolves with the child's first message (parsed by `schema`); rejects if it exits first. */
export function firstMessage<T>(child: ChildProcess, schema: z.ZodType<T>, label: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null): void => {
      reject(new Error(`${label}: exited (${signal ?? code}) before reporting`));
    };
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (message: unknown) => {
      child.off('exit', onExit);
      const parsed = schema.safeParse(message);
      if (parsed.success) resolve(parsed.data);
      else reject(new Error(`${label}: unexpected report: ${parsed.error.message}`));
    });
  });
}

/** Resolves once the child has exited with code 0. */
export function exited(child: ChildProcess, label: string): Promise<void> {
  if (child.exitCode !== null) {
    return child.exitCode === 0 ? Promise.resolve() : Promise.reject(new Error(`${label}: exit code ${child.exitCode}`));
  }
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${label}: exited (${signal ?? code})`))));
  });
}

/** Runs a step to completion and returns its report. */
export async function runStep<T>(script: string, args: string[], schema: z.ZodType<T>): Promise<T> {
  const child = forkBench(script, args);
  const report = await firstMessage(child, schema, script);
  await exited(child, script);
  return report;
}

/** Sends the step's report to the parent (or prints it when run by hand). */
export function report(value: unknown): void {
  if (process.send) process.send(value);
  else console.log(JSON.stringify(value, null, 2));
}
