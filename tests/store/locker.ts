/** child-locker.ts in its own Node process, driven line by line. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';
import type { CycleLockHolder, CycleLockOwner } from '../../src/store/index.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** What a locker printed for one `go`. */
export interface LockerAnswer {
  pid: number;
  owner: CycleLockOwner;
  acquired: boolean;
  holder?: CycleLockHolder;
  replaced?: CycleLockHolder;
}

/** A locker process that asks for the lock of the store at `url` for `ttlMs` on each `send('go')`. */
export function startLocker(url: string, ttlMs = 60_000) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'child-locker.ts'), url, String(ttlMs)], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`locker exited with ${code}: ${errors}`)))),
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error(`locker ended early: ${errors}`);
    return line.value;
  };
  const ready = next().then((line) => expect(line).toBe('ready'));
  return {
    pid: child.pid,
    ready,
    answer: ready.then(async () => JSON.parse(await next()) as LockerAnswer),
    send: (line: string) => child.stdin.write(`${line}\n`),
    end: () => child.stdin.end(),
    exited,
    /** SIGKILL, as `kill -9` or the OOM killer would: nothing is released. Resolves once the process is reaped. */
    kill: async (): Promise<void> => {
      const gone = exited.catch(() => undefined);
      child.kill('SIGKILL');
      await gone;
    },
  };
}
