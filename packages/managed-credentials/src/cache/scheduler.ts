import { monotonicNow } from '../monotonic.js';

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

/** Node's timers take at most 2^31 - 1 ms (~24.8 days) and fire at once (after 1 ms) above it. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** A chain of unref()ed timers: a delay above {@link MAX_TIMER_DELAY_MS} is slept in steps. */
interface ChainedTimer {
  timer: NodeJS.Timeout;
}

export const systemScheduler: Scheduler = {
  setTimeout(callback, delayMs, options) {
    const handle: ChainedTimer = { timer: undefined as unknown as NodeJS.Timeout };
    const arm = (remainingMs: number): void => {
      const stepMs = Math.min(remainingMs, MAX_TIMER_DELAY_MS);
      handle.timer = setTimeout(
        () => (remainingMs > stepMs ? arm(remainingMs - stepMs) : callback()),
        stepMs,
      );
      if (options?.keepAlive !== true) handle.timer.unref();
    };
    arm(Math.max(0, delayMs));
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout((handle as ChainedTimer).timer);
  },
};

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: monotonicNow,
};
