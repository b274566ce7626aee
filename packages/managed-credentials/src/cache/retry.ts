import pRetry from 'p-retry';
import { SecretFetchError } from '../errors.js';
import type { FetchPacer } from './fetch-pacer.js';
import type { Clock, Scheduler } from './scheduler.js';
import { sleep } from './sleep.js';

/** Backoff between KMS attempts: full jitter, `random() * min(cap, initial * 2^(failures-1))`. */
export interface RetryOptions {
  /** @default 2000 (ms; the reference clients) */
  initialDelayMs?: number;
  /**
   * The cap of the backoff, ms. It also bounds the steady rate of a secret whose fetches keep failing
   * transiently: on average one attempt per `maxDelayMs / 2` per process (the streak goes on across fetches).
   * @default 10000
   */
  maxDelayMs?: number;
  /**
   * Attempts of one fetch that fail with a network error, a timeout or a 5xx (throttled attempts do not
   * count: see `fetchDeadlineMs`). 3 keeps a waited fetch's worst case — 3 × the 8 s KMS request timeout
   * plus backoff — near the default 30 s budget of a call (`CallOptions.timeoutMs`).
   * @default 3
   */
  attempts?: number;
  /**
   * How long one fetch goes on retrying, ms (on the injected clock). A throttled KMS means "wait longer":
   * throttled attempts are retried until this much time has passed, so callers still within their budget
   * get the key instead of an error.
   * @default 30000 (the default budget of a call)
   */
  fetchDeadlineMs?: number;
}

/**
 * Throttled attempts one fetch may retry on top of `attempts` (within `fetchDeadlineMs`): with the
 * backoff growing to its cap, the deadline ends a throttled fetch first; this bounds it on a clock that
 * does not move (a test's manual clock).
 */
const MAX_THROTTLED_RETRIES = 12;

export type ResolvedRetryOptions = Required<RetryOptions>;

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    initialDelayMs: options.initialDelayMs ?? 2_000,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    attempts: Math.max(1, options.attempts ?? 3),
    fetchDeadlineMs: options.fetchDeadlineMs ?? 30_000,
  };
}

/** The full-jitter delay before retry number `failures` (1-based). */
export function fullJitterDelayMs(
  failures: number,
  options: Pick<ResolvedRetryOptions, 'initialDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}

/** Whether another attempt may help: only a `SecretFetchError` marked retryable (network, 5xx, throttling). */
export function isRetryable(error: unknown): boolean {
  return error instanceof SecretFetchError && error.retryable;
}

/** KMS refused for load (`Throttling`, `Rejected.Throttling`, `Throttling.User`, HTTP 429): wait, it will answer. */
export function isThrottling(error: unknown): boolean {
  if (!(error instanceof SecretFetchError) || !error.retryable) return false;
  return /throttl/i.test(error.kmsCode ?? '') || error.httpStatus === 429;
}

/**
 * Runs `attempt` through p-retry until it succeeds or may not be retried:
 * non-retryable errors and an abort end it at once (the error is the
 * attempt's own); other failures end it after `attempts` of them, throttled
 * ones only at `fetchDeadlineMs`. Between attempts it sleeps on the injected
 * scheduler until the secret's not-before time (the attempt's failure has
 * pushed it out, see {@link FetchPacer}); `keepAlive: false` (background
 * work) sleeps on unref()ed timers.
 */
export function withRetry<T>(
  attempt: () => Promise<T>,
  options: ResolvedRetryOptions & {
    pacer: FetchPacer;
    clock: Clock;
    scheduler: Scheduler;
    signal: AbortSignal;
    keepAlive: boolean;
  },
): Promise<T> {
  const { pacer, clock, scheduler, signal, keepAlive } = options;
  const startedMono = clock.monotonic();
  let failures = 0;
  let throttled = 0;
  const decisions = new Map<number, boolean>();
  // p-retry asks twice per failure (onFailedAttempt, then shouldRetry): decide once per attempt.
  const willRetry = (error: unknown, attemptNumber: number): boolean => {
    let decision = decisions.get(attemptNumber);
    if (decision === undefined) {
      if (isThrottling(error)) throttled += 1;
      else failures += 1;
      const elapsedMs = clock.monotonic() - startedMono + pacer.waitMs();
      decision =
        isRetryable(error) &&
        !signal.aborted &&
        failures < options.attempts &&
        throttled <= MAX_THROTTLED_RETRIES &&
        elapsedMs < options.fetchDeadlineMs;
      decisions.set(attemptNumber, decision);
    }
    return decision;
  };
  return pRetry(attempt, {
    // Bounded by willRetry; p-retry's own count would also end a throttled run.
    retries: Number.POSITIVE_INFINITY,
    // p-retry's own backoff is exponential with a 1–2× factor on node timers; ours is slept below.
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    randomize: false,
    signal,
    shouldRetry: ({ error, attemptNumber }) => willRetry(error, attemptNumber),
    onFailedAttempt: async ({ error, attemptNumber }) => {
      if (!willRetry(error, attemptNumber)) return;
      await sleep(scheduler, pacer.waitMs(), { signal, keepAlive });
    },
  });
}
