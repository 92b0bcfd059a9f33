/**
 * A bound on how long the store waits for its backend. A Redis server that
 * is up but has stopped answering closes no connection, so nothing else would
 * ever end the wait.
 */

/**
 * `work`, or a rejection with `expired()` once `ms` have passed. The work
 * itself is not cancelled: whatever it started may still finish later.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
