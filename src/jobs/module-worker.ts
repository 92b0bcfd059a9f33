/**
 * Starts a worker thread on a module that sits next to its caller: the
 * compiled `.js` when running from dist/, the `.ts` source (through tsx's
 * loader, a dev dependency) when running TypeScript under tsx or vitest. The
 * parse pool and the server's render thread start their workers this way.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts `./<name>.js` (or `.ts`) relative to `callerUrl`, the caller's `import.meta.url`. */
export function startModuleWorker(callerUrl: string, name: string, options: Omit<WorkerOptions, 'eval' | 'execArgv'> = {}): Worker {
  // Workers inherit the process's Node flags; one that only applies to an entry script (node
  // --input-type=module -e …) makes every worker fail to start, so it is left out.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { ...options, execArgv });
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  // Node 20 does not apply `--import tsx` from a worker's execArgv to the worker's own entry,
  // so the worker registers tsx's hooks itself before importing the TypeScript entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, execArgv, eval: true });
}
