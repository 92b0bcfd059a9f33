/** Small numeric helpers for reporting: medians of repeated runs, rounding, CPU time and peak memory. */
import { existsSync, readFileSync } from 'node:fs';

/** The median of the values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Median of one numeric field over several run reports. */
export function medianOf<T>(runs: readonly T[], pick: (run: T) => number): number {
  return median(runs.map(pick));
}

/** CPU milliseconds (user + system, every thread of this process) since `start`. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * This process's peak resident set so far, in MB. On Linux it is read from
 * /proc (VmHWM): getrusage's maxRSS, which `process.resourceUsage()` returns,
 * keeps the high-water mark of the address space before exec, and a forked
 * step starts as a copy of the bench's own process, so maxRSS reported at
 * least the parent's size at fork time whatever the step used.
 */
export function peakRssMb(): number {
  const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return kib !== undefined ? Number(kib) / 1024 : process.resourceUsage().maxRSS / 1024;
}
