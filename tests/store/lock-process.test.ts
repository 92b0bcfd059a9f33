/**
 * Telling whether a lock holder's process has ended (src/store/lock-process.ts),
 * with real processes: this one, a child that runs, then is killed, and a
 * zombie nobody reaps.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ownerProcess, ownerProcessEnded, type OwnerProcess } from '../../src/store/lock-process.js';
import type { CycleLockOwner } from '../../src/store/index.js';

const canTell = ownerProcess().processStart !== undefined;
const owner = (of: OwnerProcess): CycleLockOwner => ({ token: 't', startedAt: '2026-01-01T00:00:00.000Z', ...of });

/** Field 22 of /proc/<pid>/stat, read here the plain way: the start time the kernel gives. */
function startOf(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19]!;
}

/** A child that prints its ownerProcess() and waits to be killed. */
async function startChild() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', "import('./src/store/lock-process.ts').then((m) => { console.log(JSON.stringify(m.ownerProcess())); setInterval(() => {}, 1000); })"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, identity: JSON.parse(String(first.value)) as OwnerProcess, kill: () => (child.kill('SIGKILL'), exited) };
}

describe.skipIf(!canTell)('a lock holder on this machine', () => {
  it('records this process as the kernel knows it: boot, namespaces and start time', () => {
    const self = ownerProcess();
    expect(self.pid).toBe(process.pid);
    expect(self.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(self.namespaces).toMatch(/^pid:\[\d+\]( time:\[\d+\])?$/);
    expect(self.processStart).toBe(startOf(process.pid));
    expect(ownerProcessEnded(owner(self))).toBe(false);
  });

  it('runs while its process runs, and has ended once it was killed', async () => {
    const { child, identity, kill } = await startChild();
    try {
      const self = ownerProcess();
      expect(identity).toEqual({ ...self, pid: child.pid, processStart: startOf(child.pid!) });
      expect(ownerProcessEnded(owner(identity))).toBe(false);
    } finally {
      await kill();
    }
    expect(ownerProcessEnded(owner(identity))).toBe(true);
  });

  it('has ended when its pid now runs a process started at another time', () => {
    expect(ownerProcessEnded(owner({ ...ownerProcess(), processStart: String(Number(startOf(process.pid)) + 1) }))).toBe(true);
  });

  it('has ended when its process is a zombie its parent has not reaped', async () => {
    // The shell starts a child that outlives it as a shell, then becomes a process that never waits for it.
    // The child must still run when the shell execs: a shell reaps a child that ended before that.
    const parent = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const first = await createInterface({ input: parent.stdout })[Symbol.asyncIterator]().next();
      const pid = Number(first.value);
      await expect.poll(() => readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.[0], { timeout: 10_000 }).toBe('Z');
      expect(ownerProcessEnded(owner({ ...ownerProcess(), pid, processStart: startOf(pid) }))).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('is never found ended when it cannot be told: another host, boot or namespace, a missing field, no pid', () => {
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    const gone = { ...ownerProcess(), pid: ended };
    expect(ownerProcessEnded(owner(gone))).toBe(true);
    expect(ownerProcessEnded(owner({ ...gone, hostname: `${gone.hostname}-elsewhere` }))).toBe(false);
    expect(ownerProcessEnded(owner({ ...gone, bootId: 'another-boot' }))).toBe(false);
    expect(ownerProcessEnded(owner({ ...gone, namespaces: 'pid:[1]' }))).toBe(false);
    for (const field of ['bootId', 'namespaces', 'processStart'] as const) expect(ownerProcessEnded(owner({ ...gone, [field]: undefined }))).toBe(false);
    expect(ownerProcessEnded(owner({ ...gone, pid: 0 }))).toBe(false);
  });
});
