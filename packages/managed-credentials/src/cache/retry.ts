import { setTimeout as sleepFor } from 'node:timers/promises';
import pRetry from 'p-retry';
import { SecretFetchError } from '../errors.js';

/** Backoff between KMS attempts: full jitter, `random() * min(cap, initial * 2^(attempt-1))`. */
export interface RetryOptions {
  /** Default 2 000 ms (the reference clients). */
  initialDelayMs?: number;
  /** Default 10 000 ms. */
  maxDelayMs?: number;
  /**
   * Attempts of one fetch (the first fetch, a forced or scheduled refresh). Default 3, so that a waited
   * fetch's worst case — 3 × the 8 s KMS request timeout plus backoff below 2 s + 4 s — stays within the
   * default 30 s budget of a call (`CallOptions.timeoutMs`).
   */
  attempts?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    initialDelayMs: options.initialDelayMs ?? 2_000,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    attempts: Math.max(1, options.attempts ?? 3),
  };
}

/** The full-jitter delay before retry number `failures` (1-based). */
export function fullJitterDelayMs(
  failures: number,
  options: ResolvedRetryOptions,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}

/** Whether another attempt may help: only a `SecretFetchError` marked retryable (network, 5xx, throttling). */
export function isRetryable(error: unknown): boolean {
  return error instanceof SecretFetchError && error.retryable;
}

/**
 * Runs `attempt` up to `options.attempts` times through p-retry, sleeping a
 * full-jitter delay between retryable failures. Non-retryable errors (not
 * found, forbidden, a malformed secret) and an abort end it at once; the
 * error is the attempt's own. `keepAlive: false` sleeps on unref()ed timers
 * (a background refresh must not hold the process open).
 */
export function withRetry<T>(
  attempt: () => Promise<T>,
  options: ResolvedRetryOptions & { random: () => number; signal: AbortSignal; keepAlive: boolean },
): Promise<T> {
  return pRetry(attempt, {
    retries: options.attempts - 1,
    // p-retry's own backoff is exponential with a 1–2× factor; the delay is ours (full jitter), slept below.
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    randomize: false,
    signal: options.signal,
    shouldRetry: ({ error }) => isRetryable(error),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft <= 0 || !isRetryable(error)) return;
      const delayMs = fullJitterDelayMs(attemptNumber, options, options.random);
      await sleepFor(delayMs, undefined, { signal: options.signal, ref: options.keepAlive });
    },
  });
}
