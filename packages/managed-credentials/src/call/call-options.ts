import type { ExpiredKeyJudge } from '../expired-key.js';

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
   * It counts from the call's start.
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
  /**
   * Whether the call runs inside an async-context frame: {@link ManagedCredentialsProvider.currentAccessKey}
   * inside it answers this call's key, and a nested call for the same secret joins it. Default true.
   * Adapters that get the key to the SDK another way (the tea-openapi credential reads the cached key
   * when the SDK asks for it) pass false: no AsyncLocalStorage is entered, and each active one slows
   * every promise of the whole process.
   */
  trackCallContext?: boolean;
}

/** Default total time budget of one call (`CallOptions.timeoutMs`), ms. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** Per-call options that reach `callWithAccessKey` through the async context, see {@link withCallOptions}. */
export interface ScopedCallOptions {
  /** Aborts waiting for the key, a refresh or a retry of every call made inside the scope. */
  signal?: AbortSignal;
  /** Total time budget of each call made inside the scope, ms (instead of the default 30 000). */
  timeoutMs?: number;
}
