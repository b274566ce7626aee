// SKELETON: the public surface of the provider. Bodies are filled in by the
// core implementation; signatures here are the contract the adapters use.
import type { AccessKeySnapshot } from './access-key.js';
import type { ManagedCredentialsConfig, RawConfig } from './config/types.js';
import type { ProviderEventListener, ProviderEventName, RefreshReason } from './events.js';
import type { SecretSource } from './kms/types.js';
import type { ExpiredKeyJudge } from './expired-key.js';

/** Options of a business call made through {@link ManagedCredentialsProvider.callWithAccessKey}. */
export interface CallOptions {
  /** Decides whether an error means "the AccessKey is invalid/expired". Default {@link isExpiredKeyError}. */
  isExpiredKeyError?: ExpiredKeyJudge;
  /** How many times a rejected call is retried with a newer key. Default 1. */
  maxRetries?: number;
  /** Total time budget for waiting on refreshes and retries, ms. Default 30 000. */
  timeoutMs?: number;
  /** Aborts waiting for a refresh / a retry. */
  signal?: AbortSignal;
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
  /** Replaces the KMS access built from the config (tests, custom transports). */
  source?: SecretSource;
  /** Time source: wall clock (ms since epoch) and monotonic clock (ms). */
  clock?: { now(): number; monotonic(): number };
  /** Random numbers in [0, 1) for jitter. */
  random?: () => number;
  /** After this long without a successful refresh, `degraded` is emitted. Default 1 h. */
  degradedAfterMs?: number;
}

/**
 * Hands the current AccessKey of a KMS RAM secret to SDK clients and keeps it
 * fresh. One cache entry per secret name; every client of the same secret
 * shares it.
 */
export class ManagedCredentialsProvider {
  constructor(_options: ProviderOptions = {}) {
    throw new Error('not implemented');
  }

  /** The current key; waits for KMS only on first use (or after the key was rejected). */
  getAccessKey(_secretName: string, _options?: { signal?: AbortSignal }): Promise<AccessKeySnapshot> {
    throw new Error('not implemented');
  }

  /**
   * Synchronous read for sync SDK methods: inside a {@link callWithAccessKey}
   * callback, the key that call is using; otherwise the cached key.
   * @throws NotReadyError before the first fetch finished.
   */
  currentAccessKey(_secretName: string): AccessKeySnapshot {
    throw new Error('not implemented');
  }

  /**
   * Forces a refresh (single flight). With `rejectedGeneration`, fetches only
   * if that generation is still current and the token bucket allows it;
   * otherwise resolves to the current key.
   */
  refreshSecret(
    _secretName: string,
    _options?: { reason?: RefreshReason; rejectedGeneration?: number },
  ): Promise<AccessKeySnapshot> {
    throw new Error('not implemented');
  }

  /**
   * Runs one business call with the current key and, if it fails with an
   * expired-key error, refreshes (generation-aware single flight) and retries
   * with the new key. Nested calls for the same secret (a method calling its
   * `…WithOptions` twin) join the outer call and are not retried twice.
   * Any other error is rethrown as the same object.
   */
  callWithAccessKey<T>(
    _secretName: string,
    _call: (key: AccessKeySnapshot) => Promise<T>,
    _options?: CallOptions,
  ): Promise<T> {
    throw new Error('not implemented');
  }

  /** Claims a secret for a client; when the last claim on a secret is released its timer stops. */
  register(_secretName: string): Registration {
    throw new Error('not implemented');
  }

  /** Resolves when the given secrets (default: `secret_names` and all registered) have been fetched once. */
  ready(_secretNames?: string[]): Promise<void> {
    throw new Error('not implemented');
  }

  on<E extends ProviderEventName>(_event: E, _listener: ProviderEventListener<E>): this {
    throw new Error('not implemented');
  }

  off<E extends ProviderEventName>(_event: E, _listener: ProviderEventListener<E>): this {
    throw new Error('not implemented');
  }

  /** Stops every timer and releases sockets; idempotent. */
  close(): Promise<void> {
    throw new Error('not implemented');
  }
}
