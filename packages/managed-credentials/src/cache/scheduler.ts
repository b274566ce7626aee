/** An opaque handle of a scheduled callback. */
export type TimerHandle = unknown;

/**
 * Where the cache's timers live. The default uses `setTimeout` with
 * `unref()`, so a pending refresh never keeps the process alive; tests inject
 * a manual scheduler and drive it without sleeping.
 */
export interface Scheduler {
  /**
   * Runs `callback` after `delayMs`. With `keepAlive`, someone awaits what the timer leads to (a KMS retry a
   * caller waits for), so a real timer should hold the process open; otherwise it must not (`unref()`).
   * A manual scheduler may ignore the option.
   */
  setTimeout(callback: () => void, delayMs: number, options?: { keepAlive?: boolean }): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Wall clock (ms since the epoch, for dates KMS sends) and monotonic clock (ms, for ages). */
export interface Clock {
  now(): number;
  monotonic(): number;
}

/** Node's timers cap delays at 2^31 - 1 ms (~24.8 days) and fire at once above it. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const systemScheduler: Scheduler = {
  setTimeout(callback, delayMs, options) {
    const timer = setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS));
    if (options?.keepAlive !== true) timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
