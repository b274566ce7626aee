import { fullJitterDelayMs, type ResolvedRetryOptions } from './retry.js';

/**
 * In a fleet, transient backoff never goes below this many fleet windows
 * (`fleetSize` × 2 ms): N processes retrying with full jitter under a ceiling of
 * 1.5 × N × 2 ms offer KMS about 670 requests/s on average however long the outage.
 */
const FLEET_BACKOFF_WINDOWS = 1.5;
import type { Clock } from './scheduler.js';

/**
 * The one "not before" time of a secret: no KMS attempt for it starts
 * earlier — background (scheduled refresh, its retries, known-bad probes),
 * waiting (first use, `ready`, a forced refresh) and error-triggered paths
 * alike. Three things push it out:
 *
 * - a transient failure (network, timeout, 5xx, throttling): full-jitter
 *   backoff on the secret's streak of such failures, which goes on across
 *   fetches (a new reader during an outage waits for it instead of asking
 *   KMS at once), so it grows to `retry.maxDelayMs` and stays there — and in
 *   a fleet never below {@link FLEET_BACKOFF_WINDOWS} fleet windows;
 * - a fresh rejection: the first attempt is spread over a random part of the
 *   fleet window (see `fleetSize`), so a fleet does not ask in the same second;
 * - a known-bad key (see `RejectionGate`): the next probe's time.
 *
 * Any answer from KMS ends the streak; it does not bring the time forward.
 */
export class FetchPacer {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #retry: ResolvedRetryOptions;
  readonly #fleetBackoffMs: number;
  #notBeforeMono = Number.NEGATIVE_INFINITY;
  #transientFailures = 0;

  constructor(ctx: {
    clock: Clock;
    random: () => number;
    retry: ResolvedRetryOptions;
    fleetSpreadMs: number;
  }) {
    this.#clock = ctx.clock;
    this.#random = ctx.random;
    this.#retry = ctx.retry;
    this.#fleetBackoffMs = Math.ceil(ctx.fleetSpreadMs * FLEET_BACKOFF_WINDOWS);
  }

  /** How long the next attempt has to wait, ms (0: it may start now). */
  waitMs(): number {
    return Math.max(0, this.#notBeforeMono - this.#clock.monotonic());
  }

  /** Consecutive transient failures, across fetches, since KMS last answered. */
  get transientFailures(): number {
    return this.#transientFailures;
  }

  /** A transient failure just now: backs off (full jitter, capped) and returns the wait, ms. */
  transientFailure(): number {
    this.#transientFailures += 1;
    const { initialDelayMs, maxDelayMs } = this.#retry;
    const fleetFloor = this.#fleetBackoffMs;
    this.deferBy(
      fullJitterDelayMs(
        this.#transientFailures,
        {
          initialDelayMs: Math.max(initialDelayMs, fleetFloor),
          maxDelayMs: Math.max(maxDelayMs, fleetFloor),
        },
        this.#random,
      ),
    );
    return this.waitMs();
  }

  /** A fresh rejection: waits a random part of `windowMs` (never less than already due). */
  spread(windowMs: number): void {
    if (windowMs > 0) this.deferBy(Math.floor(this.#random() * windowMs));
  }

  /** Nothing starts before `delayMs` from now; a later time already set stays. */
  deferBy(delayMs: number): void {
    this.#notBeforeMono = Math.max(this.#notBeforeMono, this.#clock.monotonic() + delayMs);
  }

  /** KMS answered (a value or a permanent error): the transient streak ends. */
  answered(): void {
    this.#transientFailures = 0;
  }
}
