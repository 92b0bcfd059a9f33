/**
 * Whether the process behind a cycle lock still runs. A holder killed with
 * SIGKILL (or by the OOM killer) never releases its lock, and every other
 * cycle would wait for it to lapse; when the holder ran on this very machine,
 * in this boot and in this process namespace, this process can see that it is
 * gone and take the lock at once.
 *
 * The answer errs on the side of "still runs": anything this process cannot
 * read or compare (another host, another boot, another pid namespace, no
 * /proc, an owner written before these fields existed) leaves the lock to
 * lapse as before.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { CycleLockOwner } from './lock-record.js';

/** What a lock owner records of the process holding it. */
export type OwnerProcess = Pick<CycleLockOwner, 'pid' | 'hostname' | 'bootId' | 'namespaces' | 'processStart'>;

interface ProcStat {
  pid: number;
  /** Field 3: R, S, D, Z (zombie), X (dead)... */
  state: string;
  /** Field 22: clock ticks from boot to the process's start; with the pid, it names one process of one boot. */
  start: string;
}

/** /proc/<pid>/stat, or undefined when it cannot be read (no such process, no /proc, another user's under hidepid). */
function readStat(pid: number | 'self'): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // Field 2, the command name, is in parentheses and may itself hold spaces and parentheses.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const after = text.slice(close + 2).split(' ');
  const state = after[0];
  const start = after[22 - 3];
  if (state === undefined || state === '' || start === undefined || !/^\d+$/.test(start)) return undefined;
  return { pid: Number(text.slice(0, text.indexOf(' '))), state, start };
}

interface HostIdentity {
  bootId: string;
  namespaces: string;
  start: string;
}

let cached: HostIdentity | null | undefined;

/**
 * This boot of this machine and the namespaces pids and start times are
 * read in; null when any part cannot be read. The boot id tells a reboot
 * apart under the same hostname; the pid namespace tells apart two
 * containers of one kernel that were given one hostname (a pid in the other
 * one means nothing here); the time namespace, the clock start times count on.
 */
function hostIdentity(): HostIdentity | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const names = [readlinkSync('/proc/self/ns/pid')];
    try {
      names.push(readlinkSync('/proc/self/ns/time'));
    } catch (error) {
      // Kernels before 5.6 have no time namespaces: every process shares the one clock.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const self = readStat('self');
    // A /proc mounted from another pid namespace would name other processes by our pids.
    if (bootId !== '' && self !== undefined && self.pid === process.pid) cached = { bootId, namespaces: names.join(' '), start: self.start };
  } catch {
    // Not Linux, or /proc hidden: the lock lapses as it always did.
  }
  return cached;
}

/** This process as a lock owner records it: pid and hostname always; the rest where this platform tells it. */
export function ownerProcess(): OwnerProcess {
  const host = hostIdentity();
  const base = { pid: process.pid, hostname: hostname() };
  return host === null ? base : { ...base, bootId: host.bootId, namespaces: host.namespaces, processStart: host.start };
}

/** Whether a process with this pid exists here (one of another user's too: EPERM). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Whether the holder's process has certainly ended: it ran on this host, in
 * this boot and these namespaces, and its pid is now free, or belongs to a
 * process that started at another time (the pid was reused), or to a zombie.
 */
export function ownerProcessEnded(holder: CycleLockOwner): boolean {
  const { pid, bootId, namespaces, processStart } = holder;
  if (bootId === undefined || namespaces === undefined || processStart === undefined || !(pid > 0)) return false;
  const host = hostIdentity();
  if (host === null || holder.hostname !== hostname() || bootId !== host.bootId || namespaces !== host.namespaces) return false;
  if (!exists(pid)) return true;
  const stat = readStat(pid);
  // Unreadable although it existed a moment ago: it ended meanwhile, or this process may not look.
  if (stat === undefined) return !exists(pid);
  if (stat.state === 'Z' || stat.state === 'X') return true;
  return stat.start !== processStart;
}
