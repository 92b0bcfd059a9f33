/**
 * node-cron wiring. Sources are grouped by their cron expression (the global
 * schedule unless a source sets its own); a tick queues its group. Cycles
 * never overlap: ticks that arrive during a cycle are merged into one
 * follow-up cycle instead of being dropped or stacked.
 */
import cron, { type ScheduledTask } from 'node-cron';

export interface ScheduleGroup {
  expression: string;
  sourceIds: readonly string[];
}

export interface SchedulerOptions {
  groups: readonly ScheduleGroup[];
  /** Runs one cycle over these sources; must not throw (failures are outcomes). */
  runCycle: (sourceIds: readonly string[]) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface Scheduler {
  start(): void;
  /** Queues a cycle now (start-up, manual trigger). Resolves when the queue is drained. */
  trigger(sourceIds?: readonly string[]): Promise<void>;
  /** Stops the cron tasks and waits for the running cycle to finish. */
  stop(): Promise<void>;
  readonly running: boolean;
}

/** Creates the scheduler; nothing runs until `start()` or `trigger()`. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  for (const group of options.groups) {
    if (!cron.validate(group.expression)) throw new Error(`scheduler: invalid cron expression "${group.expression}"`);
  }
  const everyone = [...new Set(options.groups.flatMap((group) => group.sourceIds))];
  const tasks: ScheduledTask[] = [];
  const pending = new Set<string>();
  let current: Promise<void> | null = null;
  let stopped = false;

  const drain = async (): Promise<void> => {
    while (pending.size > 0 && !stopped) {
      const batch = [...pending];
      pending.clear();
      try {
        await options.runCycle(batch);
      } catch (error) {
        options.onError?.(error);
      }
    }
  };

  const trigger = (sourceIds: readonly string[] = everyone): Promise<void> => {
    for (const id of sourceIds) pending.add(id);
    if (!current) {
      current = drain().finally(() => {
        current = null;
      });
    }
    return current;
  };

  return {
    start() {
      for (const group of options.groups) {
        tasks.push(cron.schedule(group.expression, () => void trigger(group.sourceIds)));
      }
    },
    trigger,
    async stop() {
      stopped = true;
      for (const task of tasks) await task.stop();
      await current;
    },
    get running() {
      return current !== null;
    },
  };
}

/** Groups sources by their effective cron expression. */
export function groupBySchedule(
  sources: ReadonlyArray<{ id: string; schedule?: string | undefined }>,
  fallback: string,
): ScheduleGroup[] {
  const groups = new Map<string, string[]>();
  for (const source of sources) {
    const expression = source.schedule ?? fallback;
    groups.set(expression, [...(groups.get(expression) ?? []), source.id]);
  }
  return [...groups].map(([expression, sourceIds]) => ({ expression, sourceIds }));
}
