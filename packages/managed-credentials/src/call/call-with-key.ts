import type { AccessKeySnapshot } from '../access-key.js';
import { CallTimeoutError, NonReplayableCallError, ProviderClosedError } from '../errors.js';
import { isExpiredKeyError } from '../expired-key.js';
import { plantedDelay } from './bench-hook.js';
import { CallBudget, safeJudge } from './call-budget.js';
import { keyInCurrentCall, runWithKey, scopedCallOptions } from './call-context.js';
import { DEFAULT_CALL_TIMEOUT_MS, type CallOptions } from './call-options.js';
import type { KeyPort } from './key-port.js';
import { recordRefreshFailure } from './refresh-failure.js';
import { combineSignals } from './scoped-call-options.js';

/**
 * The retry loop behind {@link ManagedCredentialsProvider.callWithAccessKey}
 * (see there for the contract), talking to the cache through a {@link KeyPort}: one business call with the current key, and
 * after an expired-key rejection a generation-aware refresh and a retry with
 * the new key — within the call's budget, honouring its signals.
 */
export async function callWithKey<T>(
  port: KeyPort,
  secretName: string,
  call: (key: AccessKeySnapshot) => Promise<T>,
  options: CallOptions,
): Promise<T> {
  plantedDelay();
  const outerKey = keyInCurrentCall(port.owner, secretName);
  if (outerKey) return call(outerKey);
  const scoped = scopedCallOptions();
  const callerSignal = combineSignals(options.signal, scoped?.signal);
  const timeoutMs = options.timeoutMs ?? scoped?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  // The budget (and its timer) is made only when the call has to wait: the hot path has a cached key.
  const startedAt = performance.now();
  let budget: CallBudget | undefined;
  let key = port.cachedKey(secretName);
  if (!key) {
    budget = new CallBudget(timeoutMs, callerSignal, startedAt);
    key = await firstKey(port, secretName, budget);
  }
  const judge = options.isExpiredKeyError ?? isExpiredKeyError;
  const maxRetries = options.maxRetries ?? 1;
  const trackContext = options.trackCallContext !== false;
  // "Retries exhausted → the original error": the first rejection is what the caller gets.
  let firstRejection: unknown;
  let hasRejection = false;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const attemptKey = key;
      return await (trackContext
        ? runWithKey(port.owner, secretName, attemptKey, () => call(attemptKey))
        : call(attemptKey));
    } catch (error) {
      if (!safeJudge(judge, error)) throw error;
      if (!hasRejection) {
        firstRejection = error;
        hasRejection = true;
      }
      budget ??= new CallBudget(timeoutMs, callerSignal, startedAt);
      const callBudget = budget;
      const next = await refreshAfterRejection(
        port,
        secretName,
        key,
        budget.signal(),
        callerSignal,
        (failure) => recordRefreshFailure(firstRejection, kmsFailure(port, secretName, callBudget, failure)),
      );
      // Retry only with another key: a new generation with the same key pair (a new VersionId of the same
      // AccessKey) would be refused again.
      if (!next || sameKeyPair(next, key)) throw firstRejection;
      if (attempt > maxRetries || budget.signal().aborted) throw firstRejection;
      if (options.replayable?.() === false) throw new NonReplayableCallError(secretName, error);
      port.callRetried({
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
async function firstKey(port: KeyPort, secretName: string, budget: CallBudget): Promise<AccessKeySnapshot> {
  try {
    return await port.waitForKey(secretName, budget.signal());
  } catch (error) {
    if (!budget.ranOutWith(error)) throw error;
    throw new CallTimeoutError(secretName, budget.timeoutMs, port.lastAttemptError(secretName));
  }
}

/**
 * The key to retry with after `rejected` was refused, or undefined when no
 * refresh could be had (KMS failing, budget spent) — the caller then
 * rethrows its original error. An abort by the caller's own signal wins.
 */
async function refreshAfterRejection(
  port: KeyPort,
  secretName: string,
  rejected: AccessKeySnapshot,
  signal: AbortSignal,
  callerSignal: AbortSignal | undefined,
  onFailure: (refreshError: unknown) => void,
): Promise<AccessKeySnapshot | undefined> {
  try {
    return await port.refreshRejected(secretName, rejected.generation, signal);
  } catch (refreshError) {
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (refreshError instanceof ProviderClosedError) throw refreshError;
    onFailure(refreshError);
    return undefined;
  }
}

/** What made a refresh fail, for `refreshFailureOf`: the fetch error, or the budget running out while KMS was slow. */
function kmsFailure(port: KeyPort, secretName: string, budget: CallBudget, refreshError: unknown): Error {
  if (budget.ranOutWith(refreshError) || !(refreshError instanceof Error)) {
    return new CallTimeoutError(secretName, budget.timeoutMs, port.lastAttemptError(secretName));
  }
  return refreshError;
}

function sameKeyPair(a: AccessKeySnapshot, b: AccessKeySnapshot): boolean {
  return a.accessKeyId === b.accessKeyId && a.accessKeySecret === b.accessKeySecret;
}
