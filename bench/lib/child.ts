/**
 * Runs a benchmark step in its own Node process (TypeScript through tsx), so
 * its CPU time and peak RSS are its own, and gets back one message over IPC,
 * checked against a zod schema.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { z } from 'zod';

/** The project root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Forks `script` (relative to bench/) under tsx with IPC; stdout/stderr pass through. */
export function forkBench(script: string, args: string[] = []): ChildProcess {
  return fork(path.join(ROOT, 'bench', script), args, {
    cwd: ROOT,
    // BENCH_CPU_PROF_DIR=dir writes a CPU profile of every step (and its worker threads) there.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF_DIR] : [])],
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
