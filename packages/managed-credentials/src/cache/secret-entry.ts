import type { AccessKeySnapshot } from '../access-key.js';
import { ProviderClosedError, type ManagedCredentialsError } from '../errors.js';
import type { RefreshReason } from '../events.js';
import { nextRefreshAt } from '../secret/refresh-policy.js';
import type { SecretInfo } from '../kms/types.js';
import type { EntryContext } from './entry-context.js';
import { EntryHealth } from './entry-health.js';
import { FetchPacer } from './fetch-pacer.js';
import { fetchSecret, toFetchError } from './fetch-secret.js';
import { RefreshTimer } from './refresh-timer.js';
import { RejectionGate } from './rejection-gate.js';
import { isRetryable } from './retry.js';
import {
  accessKeyOf,
  accessKeyWhenFetched,
  nextSecretSnapshot,
  type SecretSnapshot,
} from './secret-snapshot.js';

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
  #snapshot: SecretSnapshot | undefined;
  #inflight: Promise<SecretSnapshot> | undefined;
  /** The typed error of the last failed fetch, until a fetch succeeds. */
  #lastFailure: ManagedCredentialsError | undefined;
  /** The error of the latest failed KMS attempt, until a fetch succeeds. */
  #lastAttemptError: unknown;
  /**
   * Until this instant (monotonic) a read has nothing to check or start, so {@link read} serves
   * {@link #quietKey} at once: a managed call pays one comparison, not the timer's and the health's
   * checks. Reset by every fetch's outcome, the only events that move those deadlines earlier.
   */
  #quietUntil = Number.NEGATIVE_INFINITY;
  #quietKey: AccessKeySnapshot | undefined;

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

  /**
   * The current AccessKey without waiting (see {@link readSecret}).
   * @throws SecretFormatError naming the secret when its value holds no key pair.
   */
  read(now: number = this.#ctx.clock.monotonic()): AccessKeySnapshot | undefined {
    if (now < this.#quietUntil) return this.#quietKey;
    const snapshot = this.readSecret(now);
    if (!snapshot) return undefined;
    const key = accessKeyOf(snapshot);
    this.#quietKey = key;
    this.#quietUntil = Math.min(this.#timer.readsCheckFrom, this.#health.staleFrom);
    return key;
  }

  /** The current secret without waiting, after checking it is not overdue. */
  readSecret(now?: number): SecretSnapshot | undefined {
    const snapshot = this.#snapshot;
    if (!snapshot) return undefined;
    now ??= this.#ctx.clock.monotonic();
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
    return accessKeyWhenFetched(this.getSecret());
  }

  /** The current secret, or the first fetch (shared) when there is none yet; see {@link get}. */
  getSecret(): Promise<SecretSnapshot> {
    const snapshot = this.readSecret();
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
    return accessKeyWhenFetched(this.refreshSecret(reason, rejectedGeneration));
  }

  /** {@link refresh} for readers of the secret itself: its AccessKey, if any, is not needed. */
  refreshSecret(reason: RefreshReason, rejectedGeneration?: number): Promise<SecretSnapshot> {
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
  #refetchRejected(reason: RefreshReason, current: SecretSnapshot): Promise<SecretSnapshot> {
    if (this.#inflight) return this.#inflight;
    if (!this.#gate.admit(current.generation)) return Promise.resolve(current);
    return this.#start(reason, current.generation);
  }

  #startWithoutKey(reason: RefreshReason): Promise<SecretSnapshot> {
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

  #start(reason: RefreshReason, rejected?: number): Promise<SecretSnapshot> {
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

  async #fetch(reason: RefreshReason): Promise<SecretSnapshot> {
    let fetched: SecretInfo;
    try {
      const fetchContext = { ...this.#ctx, pacer: this.#pacer };
      fetched = await fetchSecret(this.secretName, fetchContext, reason, (error) => {
        this.#lastAttemptError = error;
      });
    } catch (error) {
      if (this.#ctx.closed.aborted) throw new ProviderClosedError();
      throw this.#failed(reason, error);
    }
    return this.#accept(fetched, reason);
  }

  #accept(fetched: SecretInfo, reason: RefreshReason): SecretSnapshot {
    const { clock } = this.#ctx;
    const previous = this.#snapshot;
    const { snapshot, changed, hints } = nextSecretSnapshot(previous, this.secretName, fetched, clock.now());
    this.#snapshot = snapshot;
    this.#endQuiet();
    if (this.#gate.knownBadGeneration !== snapshot.generation) this.#gate.cleared();
    this.#lastFailure = undefined;
    this.#lastAttemptError = undefined;
    const plan = nextRefreshAt({
      secret: fetched,
      value: hints,
      config: this.#ctx.policy,
      now: clock.now(),
      random: this.#ctx.random,
    });
    const delayMs = Math.max(0, plan.nextRefreshAt - clock.now());
    this.#health.succeeded(delayMs);
    this.#timer.schedule(delayMs);
    this.#ctx.emit('refreshed', {
      secretName: this.secretName,
      versionId: fetched.versionId,
      generation: snapshot.generation,
      reason,
      keyChanged: changed,
    });
    if (previous && changed) this.#ctx.secretChanged?.(this.secretName, snapshot.info);
    return snapshot;
  }

  /** Records a failure, schedules the next background attempt and returns the typed error. */
  #failed(reason: RefreshReason, error: unknown): ManagedCredentialsError {
    const typed = toFetchError(this.secretName, error);
    // A fetch after a permanent failure that fails for good as well spends a token (its retry was the waste).
    if (!isRetryable(typed) && this.#lastFailureIsPermanent()) this.#gate.permanentFailure();
    this.#health.failed();
    this.#endQuiet();
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

  /** The next read checks everything again (and the served key is not held here until then). */
  #endQuiet(): void {
    this.#quietUntil = Number.NEGATIVE_INFINITY;
    this.#quietKey = undefined;
  }

  /** KMS brought back the key that was just rejected: no good key exists until it serves another. */
  #keyRejected(snapshot: SecretSnapshot): void {
    this.#ctx.emit('degraded', {
      secretName: this.secretName,
      generation: snapshot.generation,
      ageMs: 0,
      failingForMs: 0,
      reason: 'key-rejected',
    });
  }
}
