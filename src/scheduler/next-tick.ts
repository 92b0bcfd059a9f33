/**
 * When a cron schedule next runs at or after a given time: a source may be
 * checked again from its next-attempt time on, but it is checked at the first
 * tick of its schedule from then, and that is what an operator wants to see.
 * node-cron matches the expression itself (its syntax, local time), so this
 * agrees with the ticks that actually run.
 */
import cron, { type ScheduledTask } from 'node-cron';

/** How far ahead a tick is looked for; a rarer schedule shows the next-attempt time as it is. */
export const TICK_SEARCH_DAYS = 8;

const MINUTE = 60_000;

interface Matcher {
  task: ScheduledTask;
  seconds: readonly number[];
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
}

// A config has a handful of distinct expressions; each matcher is a stopped task, made once.
const matchers = new Map<string, Matcher | null>();

function matcherFor(expression: string): Matcher | null {
  let matcher = matchers.get(expression);
  if (matcher === undefined) {
    matcher = null;
    if (cron.validate(expression)) {
      const fields = cron.parse(expression);
      const task = cron.createTask(expression, () => undefined);
      matcher = { task, seconds: [...fields.second].sort((a, b) => a - b), minutes: new Set(fields.minute), hours: new Set(fields.hour) };
    }
    matchers.set(expression, matcher);
  }
  return matcher;
}

/**
 * The first tick of `expression` at or after `at`; null when the expression
 * is not a valid one or has no tick within {@link TICK_SEARCH_DAYS} days.
 */
export function firstTickAtOrAfter(expression: string, at: Date): Date | null {
  const matcher = matcherFor(expression);
  if (!matcher) return null;
  const from = at.getTime();
  const start = Math.floor(from / MINUTE) * MINUTE;
  const end = start + TICK_SEARCH_DAYS * 24 * 60 * MINUTE;
  for (let minute = start; minute <= end; minute += MINUTE) {
    const date = new Date(minute);
    // The hour field rules out whole hours at once (a daily schedule passes ~24 of them a day, not 1,440 minutes),
    // the minute field most of the rest without the full match.
    if (!matcher.hours.has(date.getHours())) {
      minute += (59 - date.getMinutes()) * MINUTE;
      continue;
    }
    if (!matcher.minutes.has(date.getMinutes())) continue;
    for (const second of matcher.seconds) {
      const tick = new Date(minute + second * 1000);
      if (tick.getTime() >= from && matcher.task.match(tick)) return tick;
    }
  }
  return null;
}
