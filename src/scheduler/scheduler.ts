/**
 * node-cron wiring. Sources are grouped by their cron expression (the global
 * schedule unless a source sets its own); a tick queues its group. Cycles
 * never overlap: ticks that arrive during a cycle are merged into one
 * follow-up cycle instead of being dropped or stacked. A cycle is told the
 * time of the tick it runs for, which the waits to each source's next check
 * count from (see runCycle).
 */
import cron, { type ScheduledTask } from 'node-cron';

export interface ScheduleGroup {
  expression: string;
  sourceIds: readonly string[];
}

export interface SchedulerOptions {
  groups: readonly ScheduleGroup[];
  /**
   * Runs one cycle over these sources; must not throw (failures are outcomes).
   * `scheduledAt` is the time of the (latest) tick it runs for; null for a
   * cycle only {@link Scheduler.trigger} asked for without one.
   */
  runCycle: (sourceIds: readonly string[], scheduledAt: Date | null) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface Scheduler {
  start(): void;
  /** Queues a cycle now (start-up, manual trigger; a tick, with its time). Resolves when the queue is drained. */
  trigger(sourceIds?: readonly string[], scheduledAt?: Date): Promise<void>;
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
  let pendingAt: Date | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;

  const drain = async (): Promise<void> => {
    while (pending.size > 0 && !stopped) {
      const batch = [...pending];
      const at = pendingAt;
      pending.clear();
      pendingAt = null;
      try {
        await options.runCycle(batch, at);
      } catch (error) {
        options.onError?.(error);
      }
    }
  };

  const trigger = (sourceIds: readonly string[] = everyone, scheduledAt?: Date): Promise<void> => {
    for (const id of sourceIds) pending.add(id);
    if (scheduledAt !== undefined && (pendingAt === null || scheduledAt > pendingAt)) pendingAt = scheduledAt;
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
        tasks.push(cron.schedule(group.expression, (context) => void trigger(group.sourceIds, context.date)));
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
