import type { ManagedCredentialsError } from '../errors.js';
import { isRetryable } from './retry.js';
import type { TimerHandle } from './scheduler.js';
import type { EntryContext } from './entry-context.js';

/**
 * After a non-retryable failure of a background refresh (forbidden, invalid
 * caller key, secret not found, malformed value), the next attempt comes after
 * min(refresh_secret_ttl, 5 min), less up to half of it at random so a fleet
 * spreads out — not the 2–10 s backoff that only helps transient failures.
 */
const NON_RETRYABLE_RETRY_MS = 5 * 60_000;

type TimerContext = Pick<EntryContext, 'clock' | 'scheduler' | 'closed' | 'random' | 'policy'>;

/**
 * When one secret's next background attempt is due (a refresh ahead of
 * rotation, or a retry after a failure), and the timer that runs it.
 *
 * Only a claimed secret (a registered client, or `secret_names`) keeps a
 * timer. For an unclaimed one (read without `register`, e.g. through a closed
 * client) the due time is still kept, and a read after it starts the attempt
 * (see {@link RefreshTimer.isDue}): it is never served stale without an attempt — and holds
 * nothing running.
 */
export class RefreshTimer {
  readonly #ctx: TimerContext;
  readonly #onDue: () => void;
  #handle: TimerHandle | undefined;
  #dueMono = Number.POSITIVE_INFINITY;
  #claimed = false;
  #disposed = false;

  constructor(ctx: TimerContext, onDue: () => void) {
    this.#ctx = ctx;
    this.#onDue = onDue;
  }

  get claimed(): boolean {
    return this.#claimed;
  }

  /** Whether {@link dispose} was called: nothing is scheduled any more. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** From now on keep a timer; with `resume`, arm it for the attempt already due. */
  claim(resume: boolean): void {
    if (this.#claimed) return;
    this.#claimed = true;
    if (resume && this.#handle === undefined) {
      this.schedule(Math.max(0, this.#dueMono - this.#ctx.clock.monotonic()));
    }
  }

  /** The next attempt is due in `delayMs` (replacing any earlier one). */
  schedule(delayMs: number): void {
    this.#clear();
    this.#dueMono = this.#ctx.clock.monotonic() + delayMs;
    if (!this.#claimed || this.#disposed || this.#ctx.closed.aborted) return;
    this.#handle = this.#ctx.scheduler.setTimeout(() => {
      this.#handle = undefined;
      this.#onDue();
    }, delayMs);
  }

  /**
   * Schedules the retry of a key that is still served after a fetch failed
   * with `error`, and returns when it is due (epoch ms; none once disposed).
   * After a transient failure that is the secret's not-before time,
   * `backoffMs` from now (full jitter, capped — not a whole period later); a
   * permanent one waits minutes (see {@link NON_RETRYABLE_RETRY_MS}).
   */
  scheduleRetry(error: ManagedCredentialsError, backoffMs: number): number | undefined {
    if (this.#disposed) return undefined;
    const { random, policy, clock } = this.#ctx;
    const delayMs = isRetryable(error)
      ? backoffMs
      : Math.floor(Math.min(policy.refreshSecretTtlMs, NON_RETRYABLE_RETRY_MS) * (1 - random() / 2));
    const nextAttemptAt = clock.now() + delayMs;
    this.schedule(delayMs);
    return nextAttemptAt;
  }

  /**
   * From when (monotonic) a read must look at this timer: its due time while unclaimed (the read then
   * starts the refresh itself), never while claimed (the timer does).
   */
  get readsCheckFrom(): number {
    return this.#claimed ? Number.POSITIVE_INFINITY : this.#dueMono;
  }

  /** Whether the next attempt is due at `now` (monotonic). */
  isDue(now: number): boolean {
    return now >= this.#dueMono;
  }

  dispose(): void {
    this.#disposed = true;
    this.#clear();
  }

  #clear(): void {
    if (this.#handle !== undefined) this.#ctx.scheduler.clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}
