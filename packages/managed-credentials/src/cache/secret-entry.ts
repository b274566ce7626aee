import type { AccessKeySnapshot } from '../access-key.js';
import { ProviderClosedError, type ManagedCredentialsError } from '../errors.js';
import type { ProviderEventName, ProviderEvents, RefreshReason } from '../events.js';
import type { SecretSource } from '../kms/types.js';
import { nextRefreshAt } from '../secret/refresh-policy.js';
import { EntryHealth } from './entry-health.js';
import { FetchPacer } from './fetch-pacer.js';
import { fetchRamSecret, nextSnapshot, toFetchError, type FetchedSecret } from './fetch-secret.js';
import { RefreshTimer } from './refresh-timer.js';
import { RejectionGate } from './rejection-gate.js';
import { isRetryable, type ResolvedRetryOptions } from './retry.js';
import type { Clock, Scheduler } from './scheduler.js';

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
  /** A KMS request silent this long gets a hedge (a second request; the first answer wins). */
  hedgeAfterMs: number;
  /** The first fetch after a fresh rejection starts at a random point of this window (sized from the fleet). */
  fleetSpreadMs: number;
  emit: <E extends ProviderEventName>(event: E, payload: ProviderEvents[E]) => void;
  /** Aborted by the provider's close(). */
  closed: AbortSignal;
}

/**
 * The cache entry of one secret: the current snapshot and the one in-flight
 * fetch every refresh path shares (scheduled, forced, error-triggered).
 * Readers never wait while a key exists. What a rejection leads to (and the
 * token bucket) is the {@link RejectionGate}'s part; the not-before time every
 * attempt honours, the {@link FetchPacer}'s; when the next background attempt
 * runs, the {@link RefreshTimer}'s; the failure streak and the warnings it
 * raises, {@link EntryHealth}'s.
 */
export class SecretEntry {
  readonly secretName: string;
  readonly #ctx: EntryContext;
  readonly #pacer: FetchPacer;
  readonly #gate: RejectionGate;
  readonly #timer: RefreshTimer;
  readonly #health: EntryHealth;
  #snapshot: AccessKeySnapshot | undefined;
  #inflight: Promise<AccessKeySnapshot> | undefined;
  /** The typed error of the last failed fetch, until a fetch succeeds. */
  #lastFailure: ManagedCredentialsError | undefined;
  /** The error of the latest failed KMS attempt, until a fetch succeeds. */
  #lastAttemptError: unknown;

  constructor(secretName: string, ctx: EntryContext) {
    this.secretName = secretName;
    this.#ctx = ctx;
    this.#pacer = new FetchPacer(ctx);
    this.#gate = new RejectionGate(secretName, ctx, this.#pacer, (generation) => {
      if (!this.#inflight && !this.#timer.disposed) this.#start('expired-key', generation);
    });
    this.#timer = new RefreshTimer(ctx, () => this.#startScheduled());
    this.#health = new EntryHealth(secretName, ctx);
  }

  /** The current key without waiting, after checking it is not overdue. */
  read(): AccessKeySnapshot | undefined {
    const snapshot = this.#snapshot;
    if (!snapshot) return undefined;
    const now = this.#ctx.clock.monotonic();
    // Without a timer (unclaimed), the read itself starts the refresh that is due; nothing failed and no
    // timer was late, so that is not staleness (unless the earlier attempts failed).
    if (!this.#timer.claimed && this.#timer.isDue(now)) {
      this.#startScheduled();
      if (this.#health.failures === 0) return snapshot;
    }
    if (this.#health.checkStale(snapshot, now)) this.#startScheduled();
    return snapshot;
  }

  /** The error of the latest failed KMS attempt (cleared by a success), e.g. as the cause of a timeout. */
  get lastAttemptError(): unknown {
    return this.#lastAttemptError;
  }

  /**
   * The current key, or the first fetch (shared) when there is none yet.
   * After a permanent failure (not retryable), a new one takes a token from the bucket; none left:
   * `rate-limited` and the last typed error at once (a typo'd name cannot flood KMS).
   */
  get(): Promise<AccessKeySnapshot> {
    const snapshot = this.read();
    return snapshot ? Promise.resolve(snapshot) : this.#startWithoutKey('first-use');
  }

  /** Starts the first fetch in the background unless a key or a fetch already exists (or no token is left after a permanent failure). */
  prefetch(): void {
    if (this.#snapshot || this.#inflight || this.#timer.disposed) return;
    if (this.#lastFailureIsPermanent() && !this.#gate.hasToken()) return;
    this.#start('prefetch');
  }

  /** A client (or `secret_names`) now claims this secret: keep it fresh with a timer. */
  claim(): void {
    this.#timer.claim(this.#snapshot !== undefined && !this.#inflight);
  }

  /**
   * A forced refresh (single flight). With `rejectedGeneration`: a newer key
   * is returned as is; for the current one, a fetch in flight is joined
   * (also one backing off), or the {@link RejectionGate} decides: a fetch, or
   * the current key at once while a known-bad key's next probe is not due.
   * A joined fetch that had started before the rejection (scheduled, manual)
   * and brings back the rejected key is followed by one error-triggered fetch.
   */
  refresh(reason: RefreshReason, rejectedGeneration?: number): Promise<AccessKeySnapshot> {
    const snapshot = this.#snapshot;
    if (!snapshot) return this.#startWithoutKey(reason);
    if (rejectedGeneration === undefined) return this.#inflight ?? this.#start(reason);
    if (snapshot.generation !== rejectedGeneration) return Promise.resolve(snapshot);
    const joined = this.#inflight;
    if (joined && !this.#gate.startedFor(rejectedGeneration)) {
      // Started before this rejection: its answer may predate the rotation that caused it.
      return joined.then((fetched) =>
        fetched.generation === rejectedGeneration ? this.#refetchRejected(reason, fetched) : fetched,
      );
    }
    return this.#refetchRejected(reason, snapshot);
  }

  /** Stops the timer; an in-flight fetch still settles for its waiters but schedules nothing. */
  dispose(): void {
    this.#timer.dispose();
    this.#gate.dispose();
  }

  /** After a rejection of `current` (the key served): its fetch in flight, or what the gate admits. */
  #refetchRejected(reason: RefreshReason, current: AccessKeySnapshot): Promise<AccessKeySnapshot> {
    if (this.#inflight) return this.#inflight;
    if (!this.#gate.admit(current.generation)) return Promise.resolve(current);
    return this.#start(reason, current.generation);
  }

  #startWithoutKey(reason: RefreshReason): Promise<AccessKeySnapshot> {
    if (this.#inflight) return this.#inflight;
    const failure = this.#lastFailure;
    if (failure && this.#lastFailureIsPermanent() && !this.#gate.hasToken()) {
      this.#ctx.emit('rate-limited', { secretName: this.secretName });
      return Promise.reject(failure);
    }
    return this.#start(reason);
  }

  /**
   * Whether the last fetch failed for good (not found, forbidden, bad value): only then does a new first
   * fetch need a token (the failure spent it). A transient failure (network, 5xx, throttling) costs none:
   * the secret's not-before time bounds those, and charging for them would leave an empty bucket — and
   * rejections for minutes — after a startup outage.
   */
  #lastFailureIsPermanent(): boolean {
    const failure = this.#lastFailure;
    return failure !== undefined && !isRetryable(failure);
  }

  #startScheduled(): void {
    if (!this.#inflight && !this.#timer.disposed) this.#start('scheduled');
  }

  #start(reason: RefreshReason, rejected?: number): Promise<AccessKeySnapshot> {
    const fetching = (async () => {
      try {
        const fetched = await this.#fetch(reason);
        if (fetched.generation === rejected && this.#gate.confirmed(rejected)) this.#keyRejected(fetched);
        return fetched;
      } finally {
        this.#inflight = undefined;
        this.#gate.flightEnded();
      }
    })();
    this.#inflight = fetching;
    this.#gate.flightStarted(rejected);
    // Background refreshes report through events; waiters get the rejection from their own handle.
    fetching.catch(() => undefined);
    return fetching;
  }

  async #fetch(reason: RefreshReason): Promise<AccessKeySnapshot> {
    let fetched: FetchedSecret;
    try {
      const fetchContext = { ...this.#ctx, pacer: this.#pacer };
      fetched = await fetchRamSecret(this.secretName, fetchContext, reason, (error) => {
        this.#lastAttemptError = error;
      });
    } catch (error) {
      if (this.#ctx.closed.aborted) throw new ProviderClosedError();
      throw this.#failed(reason, error);
    }
    return this.#accept(fetched, reason);
  }

  #accept(fetched: FetchedSecret, reason: RefreshReason): AccessKeySnapshot {
    const { clock } = this.#ctx;
    const { snapshot, keyChanged } = nextSnapshot(this.#snapshot, this.secretName, fetched, clock.now());
    this.#snapshot = snapshot;
    if (this.#gate.knownBadGeneration !== snapshot.generation) this.#gate.cleared();
    this.#lastFailure = undefined;
    this.#lastAttemptError = undefined;
    const plan = nextRefreshAt({
      secret: fetched.info,
      value: fetched.value,
      config: this.#ctx.policy,
      now: clock.now(),
      random: this.#ctx.random,
    });
    const delayMs = Math.max(0, plan.nextRefreshAt - clock.now());
    this.#health.succeeded(delayMs);
    this.#timer.schedule(delayMs);
    this.#ctx.emit('refreshed', {
      secretName: this.secretName,
      versionId: fetched.info.versionId,
      generation: snapshot.generation,
      reason,
      keyChanged,
    });
    return snapshot;
  }

  /** Records a failure, schedules the next background attempt and returns the typed error. */
  #failed(reason: RefreshReason, error: unknown): ManagedCredentialsError {
    const typed = toFetchError(this.secretName, error);
    // A fetch after a permanent failure that fails for good as well spends a token (its retry was the waste).
    if (!isRetryable(typed) && this.#lastFailureIsPermanent()) this.#gate.permanentFailure();
    this.#health.failed();
    this.#lastFailure = typed;
    // With a key to serve, keep trying in the background (no earlier than the not-before time).
    const nextAttemptAt = this.#snapshot ? this.#timer.scheduleRetry(typed, this.#pacer.waitMs()) : undefined;
    this.#ctx.emit('refresh-failed', {
      secretName: this.secretName,
      reason,
      error: typed,
      consecutiveFailures: this.#health.failures,
      ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
    });
    this.#health.checkDegraded(this.#snapshot);
    return typed;
  }

  /** KMS brought back the key that was just rejected: no good key exists until it serves another. */
  #keyRejected(snapshot: AccessKeySnapshot): void {
    this.#ctx.emit('degraded', {
      secretName: this.secretName,
      generation: snapshot.generation,
      ageMs: 0,
      failingForMs: 0,
      reason: 'key-rejected',
    });
  }
}
