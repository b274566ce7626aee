import type { AccessKeySnapshot } from './access-key.js';
import { waitFor } from './cache/abortable.js';
import { PLANTED_DELAY_SWITCH, setPlantedDelayNs } from './call/bench-hook.js';
import { keyInCurrentCall } from './call/call-context.js';
import type { CallOptions } from './call/call-options.js';
import { callWithKey } from './call/call-with-key.js';
import type { KeyPort } from './call/key-port.js';
import { EventHub } from './cache/event-hub.js';
import { processKeepAlive } from './cache/keep-alive.js';
import { resolveProviderOptions, type ProviderOptions } from './cache/provider-options.js';
import { systemClock } from './cache/scheduler.js';
import { SecretCache } from './cache/secret-cache.js';
import { SecretChanges, type SecretChangeListener } from './cache/secret-changes.js';
import { settledAccessKey } from './cache/secret-snapshot.js';
import type { ManagedCredentialsConfig } from './config/types.js';
import { NotReadyError, ProviderClosedError } from './errors.js';
import type { ProviderEventListener, ProviderEventName, RefreshReason } from './events.js';
import type { SecretSource } from './kms/types.js';
import type { SecretValueInfo } from './secret/secret-value-info.js';

export type { Clock, Scheduler, TimerHandle } from './cache/scheduler.js';
export type { RetryOptions } from './cache/retry.js';
export type { KmsSourceOptions } from './kms/create-secret-source.js';
export type { ProviderOptions } from './cache/provider-options.js';
export type { CallOptions } from './call/call-options.js';
export type { SecretChangeListener } from './cache/secret-changes.js';

/** A client's claim on a secret: while any registration is held, the secret is kept fresh. */
export interface Registration {
  readonly secretName: string;
  /** Releases the claim; idempotent. */
  release(): void;
}

/**
 * Hands the current AccessKey of a KMS RAM secret to SDK clients and keeps it
 * fresh — and secrets of every type to their readers (`getSecretInfo`), from
 * the same cache. One cache entry per secret name; every client of the same secret
 * shares it. This class is the public face: the cache entries live in
 * `cache/secret-entry.ts`, the expired-key retry loop in `call/call-with-key.ts`.
 */
export class ManagedCredentialsProvider {
  readonly #config: ManagedCredentialsConfig;
  readonly #source: SecretSource;
  readonly #events = new EventHub();
  readonly #changes = new SecretChanges();
  readonly #cache: SecretCache;
  /** What the call loop (`call/`) may use of this provider. */
  readonly #port: KeyPort;
  #closing: Promise<void> | undefined;

  /** @throws ConfigError when the configuration is missing or invalid. */
  constructor(options: ProviderOptions = {}) {
    const { config, context } = resolveProviderOptions(options);
    this.#config = config;
    this.#source = context.source;
    this.#cache = new SecretCache({
      ...context,
      emit: (event, payload) => this.#events.emit(event, payload),
      secretChanged: (secretName, info) => this.#changes.notify(secretName, info),
    });
    // The call path's clock reading is the cache's own only on the system clock (a test's clock differs).
    const onSystemClock = context.clock === systemClock;
    this.#port = {
      owner: this,
      cachedKey: onSystemClock
        ? (secretName, now) => this.#cache.existing(secretName)?.read(now)
        : (secretName) => this.#cache.existing(secretName)?.read(),
      waitForKey: (secretName, signal) => this.getAccessKey(secretName, { signal }),
      refreshRejected: (secretName, rejectedGeneration, signal) =>
        this.refreshSecret(secretName, { rejectedGeneration, signal }),
      lastAttemptError: (secretName) => this.#cache.existing(secretName)?.lastAttemptError,
      callRetried: (payload) => this.#events.emit('call-retried', payload),
    };
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
    const cached = entry.readSecret();
    // A secret whose value holds no key pair rejects with SecretFormatError (no fetch: it is cached).
    return cached ? settledAccessKey(cached) : this.#wait(entry.get(), options.signal);
  }

  /**
   * A secret of any type (generic, RDS, RAM …) as a frozen {@link SecretValueInfo}, from the same cache
   * entry, single flight and refresh schedule as the AccessKey of a RAM secret; waits for KMS only on
   * first use. Rejects with the fetch's error (`SecretNotFoundError` naming the secret …).
   */
  getSecretInfo(secretName: string, options: { signal?: AbortSignal } = {}): Promise<SecretValueInfo> {
    if (this.#cache.closed) return Promise.reject(new ProviderClosedError());
    const entry = this.#cache.entry(secretName);
    const cached = entry.readSecret();
    if (cached) return Promise.resolve(cached.info);
    return this.#wait(entry.getSecret(), options.signal).then((snapshot) => snapshot.info);
  }

  /** The value of a secret of any type as KMS returns it (base64 for a binary secret); see {@link getSecretInfo}. */
  async getSecretValue(secretName: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    return (await this.getSecretInfo(secretName, options)).secretValue;
  }

  /**
   * Forces a refresh of a secret of any type, like {@link refreshSecret} (same single flight, same entry)
   * but resolving to the secret rather than its AccessKey.
   */
  refreshSecretInfo(secretName: string, options: { signal?: AbortSignal } = {}): Promise<SecretValueInfo> {
    if (this.#cache.closed) return Promise.reject(new ProviderClosedError());
    const refreshing = this.#cache.entry(secretName).refreshSecret('manual');
    return this.#wait(refreshing, options.signal).then((snapshot) => snapshot.info);
  }

  /**
   * Calls `listener` with the new {@link SecretValueInfo} each time a refresh brings another version or
   * value of the secret (not for the first fetch, not for a refresh that brings the same one). While
   * subscribed, the secret is claimed as by {@link register}: fetched now and kept fresh by its refresh
   * timer. Returns the function that unsubscribes (idempotent). A listener that throws is reported as a
   * process warning (`MC_LISTENER_FAILED`).
   *
   * @throws ProviderClosedError after {@link close}.
   * @example
   * const stop = provider.onSecretChange('my-db-secret', (info) => pool.reconnect(JSON.parse(info.secretValue)));
   */
  onSecretChange(secretName: string, listener: SecretChangeListener): () => void {
    const registration = this.register(secretName);
    const remove = this.#changes.add(secretName, listener);
    return () => {
      remove();
      registration.release();
    };
  }

  /**
   * Synchronous read for sync SDK methods: inside a {@link callWithAccessKey}
   * callback, the key that call is using; otherwise the cached key.
   * @throws NotReadyError before the first fetch finished.
   * @throws SecretFormatError naming the secret when its value holds no key pair (see {@link getSecretInfo}).
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
  callWithAccessKey<T>(
    secretName: string,
    call: (key: AccessKeySnapshot) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    return callWithKey(this.#port, secretName, call, options);
  }

  /** Claims a secret for a client; when the last claim on a secret is released its timer stops. */
  register(secretName: string): Registration {
    if (this.#cache.closed) throw new ProviderClosedError();
    const claim = this.#cache.retain(secretName);
    // Start fetching now so the client's first call rarely waits.
    this.#cache.entry(secretName).prefetch();
    return claim;
  }

  /** Resolves when the given secrets (default: `secret_names` and all registered) have been fetched once. */
  async ready(secretNames?: string[]): Promise<void> {
    const names = secretNames ?? [...new Set([...this.#config.secretNames, ...this.#cache.names()])];
    await Promise.all(names.map((secretName) => this.getSecretInfo(secretName)));
  }

  /**
   * Subscribes `listener` to `event` (the payloads are described by the `ProviderEvents` type). Listeners run
   * synchronously; one that throws is reported as a process warning and does not affect the provider.
   */
  on<E extends ProviderEventName>(event: E, listener: ProviderEventListener<E>): this {
    this.#events.on(event, listener);
    return this;
  }

  /** Unsubscribes a listener added with {@link on}; unknown listeners are ignored. */
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
      this.#changes.clear();
      this.#source.close?.();
      this.#events.emit('closed', {});
    })();
    return this.#closing;
  }

  /** Every wait on KMS (first key, refresh, `ready()`) keeps the process alive until it settles (SPEC §5). */
  #wait<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return processKeepAlive.holdUntilSettled(
      waitFor(shared, signal, {
        signal: this.#cache.closedSignal,
        error: () => new ProviderClosedError(),
      }),
    );
  }
}

// The benchmark's self-check switch (call/bench-hook.ts): not public API, so not in the types.
Object.defineProperty(ManagedCredentialsProvider, Symbol.for(PLANTED_DELAY_SWITCH), {
  value: setPlantedDelayNs,
});
