/**
 * The scheduling priority (nice value) of every thread of this process, read
 * from /proc on Linux (tests of per-thread priority skip elsewhere).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Whether this system gives threads their own nice value and shows it in /proc. */
export const PER_THREAD_PRIORITY = existsSync('/proc/thread-self') && existsSync('/proc/self/task');

/**
 * Whether a thread started now could be seen running at `nice`: per-thread
 * priorities exist here and this process runs above `nice` (a test run under
 * `nice` already at that value could not tell a lowered thread from the rest).
 */
export function canLowerTo(nice: number): boolean {
  return PER_THREAD_PRIORITY && (threadNices().get(process.pid) ?? 0) < nice;
}

/** Nice value of each thread by thread id: field 19 of /proc/self/task/<tid>/stat, counted after the parenthesised name. */
export function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name, fields start at number 3 (state); nice is number 19.
    nices.set(Number(tid), Number(fields[19 - 3]));
  }
  return nices;
}

/** Nice values of the threads in `after` that were not in `before` (threads started in between). */
export function startedSince(before: Map<number, number>, after: Map<number, number>): number[] {
  return [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
}
