/**
 * Background threads (the parse workers) run at a lower scheduling priority
 * than the event loop. byline runs more busy threads than a small machine has
 * cores: on 2 cores, the main thread and two parse workers share them, and at
 * equal priority the kernel slices the event loop's turn like any other, so a
 * 20 ms task could take 50 ms of wall time and every request waiting behind it
 * with it. At a lower priority a worker still gets every cycle the event loop
 * leaves idle, so a cold cycle keeps both cores busy.
 */
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/** The nice value the parse workers run at (the OS's "below normal"). */
export const BACKGROUND_PRIORITY = constants.priority.PRIORITY_BELOW_NORMAL;

/**
 * Lowers the calling thread's priority, and only this thread's. Linux gives
 * each thread its own nice value, addressed by its thread id, which
 * /proc/thread-self names. Elsewhere a thread cannot be addressed this way
 * (setpriority would lower the whole process), so nothing changes there.
 * Returns whether the priority was lowered.
 */
export function lowerThisThreadPriority(nice: number = BACKGROUND_PRIORITY): boolean {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(tid) || tid <= 0) return false;
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    // Not permitted (a sandbox may forbid it): the worker just runs at normal priority.
    return false;
  }
}
