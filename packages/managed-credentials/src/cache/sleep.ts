import type { Scheduler } from './scheduler.js';

/**
 * Waits `delayMs` on the injected scheduler (so tests and the fleet simulation move it on virtual time),
 * rejecting with the signal's reason when `signal` aborts. No delay: resolves without a timer.
 */
export function sleep(
  scheduler: Scheduler,
  delayMs: number,
  options: { signal: AbortSignal; keepAlive: boolean },
): Promise<void> {
  const { signal, keepAlive } = options;
  if (signal.aborted) return Promise.reject(signal.reason);
  if (delayMs <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      scheduler.clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = scheduler.setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      delayMs,
      { keepAlive },
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
