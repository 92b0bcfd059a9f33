/**
 * Starts a worker thread on a module that sits next to its caller: the
 * compiled `.js` when running from dist/, the `.ts` source (through tsx's
 * loader, a dev dependency) when running TypeScript under tsx or vitest. The
 * parse pool and the server's render thread start their workers this way.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A flag that only applies to an entry script given as a string (`node --input-type=module -e …`). */
function entryOnly(flag: string): boolean {
  return flag.startsWith('--input-type');
}

/**
 * Starts the worker with the process's Node flags. Left to inherit them, a
 * worker skips those that do not apply to a thread: V8's, such as the
 * `--max-old-space-size` an operator may well pass (V8's flags are
 * process-wide anyway), and the process's own, such as `--title`. Given a list,
 * Node refuses to start the worker if any flag in it is one of those. So a
 * list is given only to leave out an entry-only flag, which makes every
 * inheriting worker fail, and if Node refuses that list the worker starts with
 * no flags at all.
 */
function startWorker(entry: URL | string, options: WorkerOptions): Worker {
  if (!process.execArgv.some(entryOnly)) return new Worker(entry, options);
  try {
    return new Worker(entry, { ...options, execArgv: process.execArgv.filter((flag) => !entryOnly(flag)) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(entry, { ...options, execArgv: [] });
  }
}

/** Starts `./<name>.js` (or `.ts`) relative to `callerUrl`, the caller's `import.meta.url`. */
export function startModuleWorker(callerUrl: string, name: string, options: Omit<WorkerOptions, 'eval' | 'execArgv'> = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return startWorker(new URL(`./${name}.js`, callerUrl), options);
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  // Node 20 does not apply `--import tsx` from a worker's execArgv to the worker's own entry,
  // so the worker registers tsx's hooks itself before importing the TypeScript entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return startWorker(bootstrap, { ...options, eval: true });
}
