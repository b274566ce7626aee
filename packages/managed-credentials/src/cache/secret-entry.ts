import { AccessKeySnapshot } from '../access-key.js';
import { ManagedCredentialsError, ProviderClosedError, SecretFetchError } from '../errors.js';
import type { ProviderEventName, ProviderEvents, RefreshReason } from '../events.js';
import type { SecretInfo, SecretSource } from '../kms/types.js';
import { parseRamSecretValue, type RamSecretValue } from '../secret/ram-secret-value.js';
import { nextRefreshAt } from '../secret/refresh-policy.js';
import { fullJitterDelayMs, isRetryable, withRetry, type ResolvedRetryOptions } from './retry.js';
import type { Clock, Scheduler, TimerHandle } from './scheduler.js';
import { TokenBucket } from './token-bucket.js';

/** A timer this late (frozen process, suspended laptop) is not waited for: the next read refreshes. */
const LATE_TIMER_GRACE_MS = 1_000;
/**
 * After a non-retryable failure of a background refresh (forbidden, invalid
 * caller key, secret not found, malformed value), the next attempt comes after
 * min(refresh_secret_ttl, 5 min), less up to half of it at random so a fleet
 * spreads out — not the 2–10 s backoff that only helps transient failures.
 */
const NON_RETRYABLE_RETRY_MS = 5 * 60_000;

/** What every entry of one provider shares. */
export interface EntryContext {
  source: SecretSource;
  policy: { refreshSecretTtlMs: number; rotationIntervalMs: number; delayIntervalMs: number };
  clock: Clock;
  random: () => number;
  scheduler: Scheduler;
  retry: ResolvedRetryOptions;
  degradedAfterMs: number;
  tokenBucket: { capacity: number; refillMs: number };
  emit: <E extends ProviderEventName>(event: E, payload: ProviderEvents[E]) => void;
  /** Aborted by the provider's close(). */
  closed: AbortSignal;
}

/**
 * The cache entry of one secret: the current snapshot, the one in-flight
 * fetch every refresh path shares (scheduled, forced, error-triggered), the
 * refresh timer, the failure streak and the token bucket for error-triggered
 * fetches. Readers never wait while a key exists.
 *
 * Only a claimed entry (a registered client, or `secret_names`) keeps a
 * timer. An unclaimed one (read without `register`, e.g. through a closed
 * client) has none: a read after its refresh is due starts the refresh, so it
 * is never served stale without an attempt — and holds nothing running.
 */
export class SecretEntry {
  readonly secretName: string;
  readonly #ctx: EntryContext;
  readonly #bucket: TokenBucket;
  #snapshot: AccessKeySnapshot | undefined;
  #fetchedMono = 0;
  #refreshDueMono = Number.POSITIVE_INFINITY;
  /** When the next background attempt is due (a refresh, or a retry after a failure). */
  #nextAttemptMono = Number.POSITIVE_INFINITY;
  #inflight: Promise<AccessKeySnapshot> | undefined;
  #timer: TimerHandle | undefined;
  #failures = 0;
  #failingSinceMono: number | undefined;
  #staleReported = false;
  #degradedReported = false;
  #disposed = false;
  #claimed = false;
  /** The typed error of the last failed fetch, until a fetch succeeds. */
  #lastFailure: ManagedCredentialsError | undefined;
  /** The error of the latest failed KMS attempt, until a fetch succeeds. */
  #lastAttemptError: unknown;

  constructor(secretName: string, ctx: EntryContext) {
    this.secretName = secretName;
    this.#ctx = ctx;
    this.#bucket = new TokenBucket({ ...ctx.tokenBucket, monotonic: () => ctx.clock.monotonic() });
  }

  /** The current key without waiting, after checking it is not overdue. */
  read(): AccessKeySnapshot | undefined {
    if (this.#snapshot) this.#checkDue();
    return this.#snapshot;
  }

  /** The error of the latest failed KMS attempt (cleared by a success), e.g. as the cause of a timeout. */
  get lastAttemptError(): unknown {
    return this.#lastAttemptError;
  }

  /**
   * The current key, or the first fetch (shared) when there is none yet.
   * After a failed fetch, a new one takes a token from the bucket; none left:
   * `rate-limited` and the last typed error at once (a typo'd name cannot flood KMS).
   */
  get(): Promise<AccessKeySnapshot> {
    const snapshot = this.read();
    return snapshot ? Promise.resolve(snapshot) : this.#startWithoutKey('first-use');
  }

  /** Starts the first fetch in the background unless a key or a fetch already exists (or no token is left after a failure). */
  prefetch(): void {
    if (this.#snapshot || this.#inflight || this.#disposed) return;
    if (this.#lastFailure && !this.#bucket.tryTake()) return;
    this.#start('prefetch');
  }

  /** A client (or `secret_names`) now claims this secret: keep it fresh with a timer. */
  claim(): void {
    if (this.#claimed) return;
    this.#claimed = true;
    if (this.#snapshot && !this.#inflight && this.#timer === undefined) {
      this.#schedule(Math.max(0, this.#nextAttemptMono - this.#ctx.clock.monotonic()));
    }
  }

  /**
   * A forced refresh (single flight). With `rejectedGeneration`: a newer key
   * is returned as is; for the current one, a fetch in flight is joined, or a
   * token is taken to start one (none left: `rate-limited`, current key).
   */
  refresh(reason: RefreshReason, rejectedGeneration?: number): Promise<AccessKeySnapshot> {
    const snapshot = this.#snapshot;
    if (rejectedGeneration !== undefined && snapshot) {
      if (snapshot.generation !== rejectedGeneration) return Promise.resolve(snapshot);
      if (!this.#inflight && !this.#bucket.tryTake()) {
        this.#ctx.emit('rate-limited', { secretName: this.secretName });
        return Promise.resolve(snapshot);
      }
    }
    return snapshot ? (this.#inflight ?? this.#start(reason)) : this.#startWithoutKey(reason);
  }

  /** Stops the timer; an in-flight fetch still settles for its waiters but schedules nothing. */
  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
  }

  #startWithoutKey(reason: RefreshReason): Promise<AccessKeySnapshot> {
    if (this.#inflight) return this.#inflight;
    const failure = this.#lastFailure;
    if (failure && !this.#bucket.tryTake()) {
      this.#ctx.emit('rate-limited', { secretName: this.secretName });
      return Promise.reject(failure);
    }
    return this.#start(reason);
  }

  #start(reason: RefreshReason): Promise<AccessKeySnapshot> {
    const fetching = (async () => {
      try {
        return await this.#fetch(reason);
      } finally {
        this.#inflight = undefined;
      }
    })();
    this.#inflight = fetching;
    // Background refreshes report through events; waiters get the rejection from their own handle.
    fetching.catch(() => undefined);
    return fetching;
  }

  async #fetch(reason: RefreshReason): Promise<AccessKeySnapshot> {
    const { source, closed } = this.#ctx;
    let fetched: { info: SecretInfo; value: RamSecretValue };
    try {
      fetched = await withRetry(
        async () => {
          try {
            const info = await source.getSecretValue(this.secretName, { signal: closed });
            return { info, value: parseRamSecretValue(this.secretName, info.secretData) };
          } catch (error) {
            this.#lastAttemptError = error;
            throw error;
          }
        },
        // A background refresh sleeps on unref()ed timers; a caller waiting keeps the process up.
        {
          ...this.#ctx.retry,
          random: this.#ctx.random,
          signal: closed,
          keepAlive: reason !== 'scheduled' && reason !== 'prefetch',
        },
      );
    } catch (error) {
      if (closed.aborted) throw new ProviderClosedError();
      throw this.#failed(reason, error);
    }
    return this.#accept(fetched.info, fetched.value, reason);
  }

  #accept(info: SecretInfo, value: RamSecretValue, reason: RefreshReason): AccessKeySnapshot {
    const previous = this.#snapshot;
    const keyChanged =
      !previous ||
      previous.accessKeyId !== value.accessKeyId ||
      previous.versionId !== info.versionId ||
      previous.accessKeySecret !== value.accessKeySecret;
    const generation = previous ? previous.generation + (keyChanged ? 1 : 0) : 1;
    const { clock } = this.#ctx;
    const snapshot = new AccessKeySnapshot({
      secretName: this.secretName,
      accessKeyId: value.accessKeyId,
      accessKeySecret: value.accessKeySecret,
      generation,
      fetchedAt: clock.now(),
      versionId: info.versionId,
    });
    this.#snapshot = snapshot;
    this.#fetchedMono = clock.monotonic();
    this.#failures = 0;
    this.#failingSinceMono = undefined;
    this.#lastFailure = undefined;
    this.#lastAttemptError = undefined;
    this.#staleReported = false;
    this.#degradedReported = false;
    const plan = nextRefreshAt({
      secret: info,
      value,
      config: this.#ctx.policy,
      now: clock.now(),
      random: this.#ctx.random,
    });
    const delayMs = Math.max(0, plan.nextRefreshAt - clock.now());
    this.#refreshDueMono = this.#fetchedMono + delayMs;
    this.#schedule(delayMs);
    this.#ctx.emit('refreshed', {
      secretName: this.secretName,
      versionId: info.versionId,
      generation,
      reason,
      keyChanged,
    });
    return snapshot;
  }

  /** Records a failure, schedules the next background attempt and returns the typed error. */
  #failed(reason: RefreshReason, error: unknown): ManagedCredentialsError {
    const typed =
      error instanceof ManagedCredentialsError
        ? error
        : new SecretFetchError(`Fetching secret "${this.secretName}" from KMS failed unexpectedly.`, {
            secretName: this.secretName,
            retryable: false,
            cause: error,
          });
    const { clock } = this.#ctx;
    this.#failures += 1;
    this.#failingSinceMono ??= clock.monotonic();
    this.#staleReported = false;
    this.#lastFailure = typed;
    let nextAttemptAt: number | undefined;
    // With a key to serve, keep trying in the background: a transient failure with capped backoff (not a
    // whole period later), a permanent one (forbidden, not found …) minutes later.
    if (this.#snapshot && !this.#disposed) {
      const delayMs = isRetryable(typed)
        ? fullJitterDelayMs(this.#failures, this.#ctx.retry, this.#ctx.random)
        : this.#nonRetryableDelayMs();
      nextAttemptAt = clock.now() + delayMs;
      this.#schedule(delayMs);
    }
    this.#ctx.emit('refresh-failed', {
      secretName: this.secretName,
      reason,
      error: typed,
      consecutiveFailures: this.#failures,
      ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
    });
    this.#checkDegraded();
    return typed;
  }

  #nonRetryableDelayMs(): number {
    const base = Math.min(this.#ctx.policy.refreshSecretTtlMs, NON_RETRYABLE_RETRY_MS);
    return Math.floor(base * (1 - this.#ctx.random() / 2));
  }

  #checkDue(): void {
    const now = this.#ctx.clock.monotonic();
    // Without a timer (unclaimed), the read itself starts the refresh that is due.
    if (!this.#claimed && now >= this.#nextAttemptMono && !this.#inflight && !this.#disposed) {
      this.#start('scheduled');
    }
    this.#checkStaleness(now);
  }

  #checkStaleness(now: number): void {
    const overdueMs = now - this.#refreshDueMono;
    // A refresh that just started on time is not staleness; a failed one, or a timer that fired late, is.
    if (overdueMs < 0 || (this.#failures === 0 && overdueMs <= LATE_TIMER_GRACE_MS)) return;
    const snapshot = this.#snapshot as AccessKeySnapshot;
    if (!this.#staleReported) {
      this.#staleReported = true;
      this.#ctx.emit('stale-served', {
        secretName: this.secretName,
        generation: snapshot.generation,
        ageMs: now - this.#fetchedMono,
      });
    }
    if (this.#failures === 0 && !this.#inflight && !this.#disposed) {
      this.#start('scheduled');
    }
    this.#checkDegraded();
  }

  #checkDegraded(): void {
    const snapshot = this.#snapshot;
    if (!snapshot || this.#failingSinceMono === undefined || this.#degradedReported) return;
    const now = this.#ctx.clock.monotonic();
    const failingForMs = now - this.#failingSinceMono;
    if (failingForMs < this.#ctx.degradedAfterMs) return;
    this.#degradedReported = true;
    this.#ctx.emit('degraded', {
      secretName: this.secretName,
      generation: snapshot.generation,
      ageMs: now - this.#fetchedMono,
      failingForMs,
    });
  }

  #schedule(delayMs: number): void {
    this.#clearTimer();
    this.#nextAttemptMono = this.#ctx.clock.monotonic() + delayMs;
    if (!this.#claimed || this.#disposed || this.#ctx.closed.aborted) return;
    this.#timer = this.#ctx.scheduler.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#inflight && !this.#disposed) this.#start('scheduled');
    }, delayMs);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#ctx.scheduler.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
