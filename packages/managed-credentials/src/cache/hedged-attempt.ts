import type { Scheduler } from './scheduler.js';

/** At most this many requests of one attempt are outstanding: the first, and one hedge. */
const MAX_OUTSTANDING = 2;

/**
 * One KMS attempt, hedged: `request` starts, and if it has been silent for
 * `hedgeAfterMs` (well below the request timeout), a second one starts while
 * the first goes on. The first answer wins and settles every waiter; the
 * other request is aborted. The attempt fails only when every request failed,
 * with the latest failure. So a hung connection costs one hedging delay, not
 * a whole request timeout, and a KMS that comes back is seen at once.
 */
export function hedgedAttempt<T>(
  request: (signal: AbortSignal) => Promise<T>,
  options: { hedgeAfterMs: number; scheduler: Scheduler; signal: AbortSignal; onHedge?: () => void },
): Promise<T> {
  const { hedgeAfterMs, scheduler, signal } = options;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const losers = new AbortController();
    const onAbort = () => losers.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let outstanding = 0;
    let settled = false;
    let hedgeTimer: unknown;
    const settle = () => {
      settled = true;
      if (hedgeTimer !== undefined) scheduler.clearTimeout(hedgeTimer);
      signal.removeEventListener('abort', onAbort);
      losers.abort();
    };
    const launch = () => {
      outstanding += 1;
      hedgeTimer =
        outstanding < MAX_OUTSTANDING && hedgeAfterMs > 0
          ? scheduler.setTimeout(() => {
              hedgeTimer = undefined;
              if (settled) return;
              options.onHedge?.();
              launch();
            }, hedgeAfterMs)
          : undefined;
      let pending: Promise<T>;
      try {
        pending = request(losers.signal);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          if (settled) return;
          settle();
          resolve(value);
        },
        (error: unknown) => {
          outstanding -= 1;
          // Another request is still out: its answer may yet come.
          if (settled || outstanding > 0) return;
          settle();
          reject(error);
        },
      );
    };
    launch();
  });
}
