import type { AccessKeySnapshot } from './access-key.js';
import { waitFor } from './cache/abortable.js';
import { CallBudget, safeJudge } from './cache/call-budget.js';
import { keyInCurrentCall, runWithKey } from './cache/call-frames.js';
import { EventHub } from './cache/event-hub.js';
import { resolveRetryOptions, type RetryOptions } from './cache/retry.js';
import { systemClock, systemScheduler, type Clock, type Scheduler } from './cache/scheduler.js';
import { combineSignals, scopedCallOptions } from './cache/scoped-call-options.js';
import { SecretCache } from './cache/secret-cache.js';
import { isValidatedConfig, loadConfig } from './config/load-config.js';
import {
  DEFAULT_DELAY_INTERVAL_MS,
  DEFAULT_REFRESH_SECRET_TTL_MS,
  DEFAULT_ROTATION_INTERVAL_MS,
} from './config/keys.js';
import type { ManagedCredentialsConfig, RawConfig } from './config/types.js';
import { CallTimeoutError, NonReplayableCallError, NotReadyError, ProviderClosedError } from './errors.js';
import type { ProviderEventListener, ProviderEventName, RefreshReason } from './events.js';
import { isExpiredKeyError, type ExpiredKeyJudge } from './expired-key.js';
import { createSecretSource, type KmsSourceOptions } from './kms/create-secret-source.js';
import type { SecretSource } from './kms/types.js';

export type { Clock, Scheduler, TimerHandle } from './cache/scheduler.js';
export type { RetryOptions } from './cache/retry.js';
export type { KmsSourceOptions } from './kms/create-secret-source.js';

/** Options of a business call made through {@link ManagedCredentialsProvider.callWithAccessKey}. */
export interface CallOptions {
  /** Decides whether an error means "the AccessKey is invalid/expired". Default {@link isExpiredKeyError}. */
  isExpiredKeyError?: ExpiredKeyJudge;
  /** How many times a rejected call is retried with a newer key. Default 1. */
  maxRetries?: number;
  /**
   * Total time budget for waiting on the first fetch, refreshes and retries, ms. Default 30 000 (a
   * waited fetch's worst case, 3 attempts × 8 s + backoff, fits in it). Running out while waiting for
   * the first fetch rejects with `CallTimeoutError` (`MC_TIMEOUT`); during a refresh after a rejected
   * key, the original error is rethrown. Wins over a `timeoutMs` given with `withCallOptions`.
   */
  timeoutMs?: number;
  /**
   * Aborts waiting for the first fetch, a refresh or a retry; the call then rejects with the signal's
   * reason. A signal given with `withCallOptions` is honoured as well (whichever aborts first).
   */
  signal?: AbortSignal;
  /**
   * Whether the call can be sent again (a consumed stream body cannot). When it
   * returns false, the key is still refreshed, and instead of a retry the call
   * fails with `NonReplayableCallError` (the original error as `cause`).
   * Default: always replayable.
   */
  replayable?: () => boolean;
}

/** A client's claim on a secret: while any registration is held, the secret is kept fresh. */
export interface Registration {
  readonly secretName: string;
  /** Releases the claim; idempotent. */
  release(): void;
}

/** Options of a provider. Every field is optional; without `config`, the properties file is read. */
export interface ProviderOptions {
  /** A validated config, or raw key/values as in the properties file. */
  config?: ManagedCredentialsConfig | RawConfig;
  /** Path of the properties file (default: see `resolveConfigFilePath`). */
  configFile?: string;
  /** Replaces the KMS access built from the config (tests, custom transports). Without config, default timings apply. */
  source?: SecretSource;
  /** Time source: wall clock (ms since epoch) and monotonic clock (ms). */
  clock?: Clock;
  /** Random numbers in [0, 1) for jitter. */
  random?: () => number;
  /** After this long without a successful refresh, `degraded` is emitted. Default 1 h. */
  degradedAfterMs?: number;
  /** Runs the refresh timers. Default: `setTimeout` with `unref()`. */
  scheduler?: Scheduler;
  /** Backoff between KMS attempts. Default: full jitter, 2 s initial, 10 s cap, 3 attempts per fetch. */
  retry?: RetryOptions;
  /** Bounds error-triggered fetches per secret. Default 5 tokens, one back every 10 min. */
  tokenBucket?: { capacity?: number; refillMs?: number };
  /** How the KMS access is built from the config (request timeout, test endpoints). */
  kms?: KmsSourceOptions;
}

/** Default total time budget of one call (`CallOptions.timeoutMs`), ms. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * Hands the current AccessKey of a KMS RAM secret to SDK clients and keeps it
 * fresh. One cache entry per secret name; every client of the same secret
 * shares it.
 */
export class ManagedCredentialsProvider {
  readonly #config: ManagedCredentialsConfig;
  readonly #source: SecretSource;
  readonly #events = new EventHub();
  readonly #cache: SecretCache;
  #closing: Promise<void> | undefined;

  /** @throws ConfigError when the configuration is missing or invalid. */
  constructor(options: ProviderOptions = {}) {
    this.#config = resolveConfig(options);
    this.#source = options.source ?? createSecretSource(this.#config, options.kms);
    this.#cache = new SecretCache({
      source: this.#source,
      policy: this.#config,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      scheduler: options.scheduler ?? systemScheduler,
      retry: resolveRetryOptions(options.retry),
      degradedAfterMs: options.degradedAfterMs ?? 3_600_000,
      tokenBucket: {
        capacity: options.tokenBucket?.capacity ?? 5,
        refillMs: options.tokenBucket?.refillMs ?? 600_000,
      },
      emit: (event, payload) => this.#events.emit(event, payload),
    });
    // secret_names are claimed by the provider itself (kept fresh until close(), whatever clients come and
    // go) and prefetched without blocking construction; a failure only emits `refresh-failed`.
    for (const secretName of this.#config.secretNames) {
      this.#cache.retain(secretName);
      this.#cache.entry(secretName).prefetch();
    }
  }

  /** The current key; waits for KMS only on first use (or after the key was rejected). */
  getAccessKey(secretName: string, options: { signal?: AbortSignal } = {}): Promise<AccessKeySnapshot> {
    if (this.#cache.closed) return Promise.reject(new ProviderClosedError());
    const entry = this.#cache.entry(secretName);
    const cached = entry.read();
    return cached ? Promise.resolve(cached) : this.#wait(entry.get(), options.signal);
  }

  /**
   * Synchronous read for sync SDK methods: inside a {@link callWithAccessKey}
   * callback, the key that call is using; otherwise the cached key.
   * @throws NotReadyError before the first fetch finished.
   */
  currentAccessKey(secretName: string): AccessKeySnapshot {
    if (this.#cache.closed) throw new ProviderClosedError();
    const key = keyInCurrentCall(this, secretName) ?? this.#cache.existing(secretName)?.read();
    if (!key) throw new NotReadyError(secretName);
    return key;
  }

  /**
   * Forces a refresh (single flight). With `rejectedGeneration`, fetches only
   * if that generation is still current and the token bucket allows it;
   * otherwise resolves to the current key.
   */
  refreshSecret(
    secretName: string,
    options: { reason?: RefreshReason; rejectedGeneration?: number; signal?: AbortSignal } = {},
  ): Promise<AccessKeySnapshot> {
    if (this.#cache.closed) return Promise.reject(new ProviderClosedError());
    const reason = options.reason ?? (options.rejectedGeneration === undefined ? 'manual' : 'expired-key');
    return this.#wait(
      this.#cache.entry(secretName).refresh(reason, options.rejectedGeneration),
      options.signal,
    );
  }

  /**
   * Runs one business call with the current key and, if it fails with an
   * expired-key error, refreshes (generation-aware single flight) and retries
   * with the new key. Nested calls for the same secret (a method calling its
   * `…WithOptions` twin) join the outer call and are not retried twice.
   * Any other error is rethrown as the same object. A retry happens only when
   * the refresh brought another key pair; otherwise — and when the retries are
   * used up — the first expired-key error is rethrown (the same object).
   * Options can also come from an enclosing `withCallOptions`.
   *
   * @throws CallTimeoutError when the call's own budget runs out while waiting for the first fetch.
   */
  async callWithAccessKey<T>(
    secretName: string,
    call: (key: AccessKeySnapshot) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const outerKey = keyInCurrentCall(this, secretName);
    if (outerKey) return call(outerKey);
    const judge = options.isExpiredKeyError ?? isExpiredKeyError;
    const maxRetries = options.maxRetries ?? 1;
    const scoped = scopedCallOptions();
    const callerSignal = combineSignals(options.signal, scoped?.signal);
    // The budget's timer is only armed when the call has to wait (the hot path has a cached key).
    const budget = new CallBudget(
      options.timeoutMs ?? scoped?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      callerSignal,
    );
    let key = this.#cache.existing(secretName)?.read() ?? (await this.#firstKey(secretName, budget));
    // "Retries exhausted → the original error": the first rejection is what the caller gets.
    let firstRejection: unknown;
    let hasRejection = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await runWithKey(this, secretName, key, () => call(key));
      } catch (error) {
        if (!safeJudge(judge, error)) throw error;
        if (!hasRejection) {
          firstRejection = error;
          hasRejection = true;
        }
        const next = await this.#refreshAfterRejection(secretName, key, budget.signal(), callerSignal);
        // Retry only with another key: a new generation with the same key pair (a new VersionId of the same
        // AccessKey) would be refused again.
        if (!next || sameKeyPair(next, key)) throw firstRejection;
        if (attempt > maxRetries || budget.signal().aborted) throw firstRejection;
        if (options.replayable?.() === false) throw new NonReplayableCallError(secretName, error);
        this.#events.emit('call-retried', {
          secretName,
          fromGeneration: key.generation,
          toGeneration: next.generation,
          attempt,
        });
        key = next;
      }
    }
  }

  /** Claims a secret for a client; when the last claim on a secret is released its timer stops. */
  register(secretName: string): Registration {
    if (this.#cache.closed) throw new ProviderClosedError();
    const release = this.#cache.retain(secretName);
    // Start fetching now so the client's first call rarely waits.
    this.#cache.entry(secretName).prefetch();
    return { secretName, release };
  }

  /** Resolves when the given secrets (default: `secret_names` and all registered) have been fetched once. */
  async ready(secretNames?: string[]): Promise<void> {
    const names = secretNames ?? [...new Set([...this.#config.secretNames, ...this.#cache.names()])];
    await Promise.all(names.map((secretName) => this.getAccessKey(secretName)));
  }

  on<E extends ProviderEventName>(event: E, listener: ProviderEventListener<E>): this {
    this.#events.on(event, listener);
    return this;
  }

  off<E extends ProviderEventName>(event: E, listener: ProviderEventListener<E>): this {
    this.#events.off(event, listener);
    return this;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#cache.closed;
  }

  /** Stops every timer, aborts waits and in-flight fetches, releases sockets; idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#cache.close();
      this.#source.close?.();
      this.#events.emit('closed', {});
    })();
    return this.#closing;
  }

  /** Waits for the first key within the call's budget; the budget running out is a `CallTimeoutError`. */
  async #firstKey(secretName: string, budget: CallBudget): Promise<AccessKeySnapshot> {
    const signal = budget.signal();
    try {
      return await this.getAccessKey(secretName, { signal });
    } catch (error) {
      if (!budget.ranOutWith(error)) throw error;
      throw new CallTimeoutError(
        secretName,
        budget.timeoutMs,
        this.#cache.existing(secretName)?.lastAttemptError,
      );
    }
  }

  #wait(shared: Promise<AccessKeySnapshot>, signal: AbortSignal | undefined): Promise<AccessKeySnapshot> {
    return waitFor(shared, signal, {
      signal: this.#cache.closedSignal,
      error: () => new ProviderClosedError(),
    });
  }

  /**
   * The key to retry with after `rejected` was refused, or undefined when no
   * refresh could be had (KMS failing, budget spent) — the caller then
   * rethrows its original error. An abort by the caller's own signal wins.
   */
  async #refreshAfterRejection(
    secretName: string,
    rejected: AccessKeySnapshot,
    signal: AbortSignal,
    callerSignal: AbortSignal | undefined,
  ): Promise<AccessKeySnapshot | undefined> {
    try {
      return await this.refreshSecret(secretName, { rejectedGeneration: rejected.generation, signal });
    } catch (refreshError) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (refreshError instanceof ProviderClosedError) throw refreshError;
      return undefined;
    }
  }
}

function sameKeyPair(a: AccessKeySnapshot, b: AccessKeySnapshot): boolean {
  return a.accessKeyId === b.accessKeyId && a.accessKeySecret === b.accessKeySecret;
}

function resolveConfig(options: ProviderOptions): ManagedCredentialsConfig {
  if (options.config !== undefined) {
    return isValidatedConfig(options.config)
      ? options.config
      : loadConfig({ object: options.config, file: options.configFile });
  }
  if (options.configFile !== undefined || options.source === undefined) {
    return loadConfig({ file: options.configFile });
  }
  // A custom source without a config: only the timings are needed, at their defaults.
  return {
    regions: [],
    dedicatedGateways: [],
    refreshSecretTtlMs: DEFAULT_REFRESH_SECRET_TTL_MS,
    rotationIntervalMs: DEFAULT_ROTATION_INTERVAL_MS,
    delayIntervalMs: DEFAULT_DELAY_INTERVAL_MS,
    secretNames: [],
    origin: { keys: {} },
  };
}
