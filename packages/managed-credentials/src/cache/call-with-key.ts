import type { AccessKeySnapshot } from '../access-key.js';
import { CallTimeoutError, NonReplayableCallError, ProviderClosedError } from '../errors.js';
import { isExpiredKeyError, type ExpiredKeyJudge } from '../expired-key.js';
import type { ManagedCredentialsProvider } from '../provider.js';
import { CallBudget, safeJudge } from './call-budget.js';
import { keyInCurrentCall, runWithKey } from './call-frames.js';
import type { EventHub } from './event-hub.js';
import { recordRefreshFailure } from './refresh-failure.js';
import { combineSignals, scopedCallOptions } from './scoped-call-options.js';
import type { SecretCache } from './secret-cache.js';

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

/** Default total time budget of one call (`CallOptions.timeoutMs`), ms. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** The provider a call runs for, with the cache and events it keeps private. */
interface CallHost {
  provider: ManagedCredentialsProvider;
  cache: SecretCache;
  events: EventHub;
}

/**
 * The retry loop behind {@link ManagedCredentialsProvider.callWithAccessKey}
 * (see there for the contract): one business call with the current key, and
 * after an expired-key rejection a generation-aware refresh and a retry with
 * the new key — within the call's budget, honouring its signals.
 */
export async function callWithKey<T>(
  host: CallHost,
  secretName: string,
  call: (key: AccessKeySnapshot) => Promise<T>,
  options: CallOptions,
): Promise<T> {
  const { provider, cache, events } = host;
  const outerKey = keyInCurrentCall(provider, secretName);
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
  let key = cache.existing(secretName)?.read() ?? (await firstKey(host, secretName, budget));
  // "Retries exhausted → the original error": the first rejection is what the caller gets.
  let firstRejection: unknown;
  let hasRejection = false;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runWithKey(provider, secretName, key, () => call(key));
    } catch (error) {
      if (!safeJudge(judge, error)) throw error;
      if (!hasRejection) {
        firstRejection = error;
        hasRejection = true;
      }
      const next = await refreshAfterRejection(
        provider,
        secretName,
        key,
        budget.signal(),
        callerSignal,
        (failure) => recordRefreshFailure(firstRejection, kmsFailure(host, secretName, budget, failure)),
      );
      // Retry only with another key: a new generation with the same key pair (a new VersionId of the same
      // AccessKey) would be refused again.
      if (!next || sameKeyPair(next, key)) throw firstRejection;
      if (attempt > maxRetries || budget.signal().aborted) throw firstRejection;
      if (options.replayable?.() === false) throw new NonReplayableCallError(secretName, error);
      events.emit('call-retried', {
        secretName,
        fromGeneration: key.generation,
        toGeneration: next.generation,
        attempt,
      });
      key = next;
    }
  }
}

/** Waits for the first key within the call's budget; the budget running out is a `CallTimeoutError`. */
async function firstKey(
  { provider, cache }: CallHost,
  secretName: string,
  budget: CallBudget,
): Promise<AccessKeySnapshot> {
  const signal = budget.signal();
  try {
    return await provider.getAccessKey(secretName, { signal });
  } catch (error) {
    if (!budget.ranOutWith(error)) throw error;
    throw new CallTimeoutError(secretName, budget.timeoutMs, cache.existing(secretName)?.lastAttemptError);
  }
}

/**
 * The key to retry with after `rejected` was refused, or undefined when no
 * refresh could be had (KMS failing, budget spent) — the caller then
 * rethrows its original error. An abort by the caller's own signal wins.
 */
async function refreshAfterRejection(
  provider: ManagedCredentialsProvider,
  secretName: string,
  rejected: AccessKeySnapshot,
  signal: AbortSignal,
  callerSignal: AbortSignal | undefined,
  onFailure: (refreshError: unknown) => void,
): Promise<AccessKeySnapshot | undefined> {
  try {
    return await provider.refreshSecret(secretName, { rejectedGeneration: rejected.generation, signal });
  } catch (refreshError) {
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (refreshError instanceof ProviderClosedError) throw refreshError;
    onFailure(refreshError);
    return undefined;
  }
}

/** What made a refresh fail, for {@link refreshFailureOf}: the fetch error, or the budget running out while KMS was slow. */
function kmsFailure(
  { cache }: CallHost,
  secretName: string,
  budget: CallBudget,
  refreshError: unknown,
): Error {
  if (budget.ranOutWith(refreshError) || !(refreshError instanceof Error)) {
    return new CallTimeoutError(secretName, budget.timeoutMs, cache.existing(secretName)?.lastAttemptError);
  }
  return refreshError;
}

function sameKeyPair(a: AccessKeySnapshot, b: AccessKeySnapshot): boolean {
  return a.accessKeyId === b.accessKeyId && a.accessKeySecret === b.accessKeySecret;
}
