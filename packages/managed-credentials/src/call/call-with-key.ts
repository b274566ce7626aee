import type { AccessKeySnapshot } from '../access-key.js';
import { CallTimeoutError, NonReplayableCallError, ProviderClosedError } from '../errors.js';
import { isExpiredKeyError } from '../expired-key.js';
import { monotonicNow } from '../monotonic.js';
import { plantedDelay } from './bench-hook.js';
import { CallBudget, safeJudge } from './call-budget.js';
import { inheritsCallContext, keyInCurrentCall, runWithKey, scopedCallOptions } from './call-context.js';
import { DEFAULT_CALL_TIMEOUT_MS, type CallOptions, type ScopedCallOptions } from './call-options.js';
import type { KeyPort } from './key-port.js';
import { recordRefreshFailure } from './refresh-failure.js';
import { combineSignals } from './scoped-call-options.js';

/**
 * The retry loop behind {@link ManagedCredentialsProvider.callWithAccessKey}
 * (see there for the contract), talking to the cache through a {@link KeyPort}: one business call with the current key, and
 * after an expired-key rejection a generation-aware refresh and a retry with
 * the new key — within the call's budget, honouring its signals.
 *
 * The usual call (a cached key, no call frame wanted, no enclosing call or
 * `withCallOptions` scope) starts its attempt at once and only hangs a
 * rejection handler on it: one promise over the bare call and one clock read
 * (where the call's budget counts from), no timer. Waiting, judging, refreshing and retrying happen in the async code
 * below, reached from that handler or, for every other call, from the start.
 */
export function callWithKey<T>(
  port: KeyPort,
  secretName: string,
  call: (key: AccessKeySnapshot) => Promise<T>,
  options: CallOptions,
): Promise<T> {
  plantedDelay();
  // The budget counts from the call's start on every path, so a slow first attempt leaves less for the
  // retry; the same reading dates the cached key's age check (one clock read per call).
  const startedAt = monotonicNow();
  if (options.trackCallContext === false && !inheritsCallContext(port.owner, secretName)) {
    let key: AccessKeySnapshot | undefined;
    try {
      key = port.cachedKey(secretName, startedAt);
    } catch (error) {
      // A secret that holds no key pair: a rejected call, as everywhere else, never a synchronous throw.
      return Promise.reject(error);
    }
    if (key !== undefined) return firstAttempt(port, secretName, call, options, key, startedAt);
  }
  return callFromStart(port, secretName, call, options, startedAt);
}

/** The hot path: the attempt runs now; a rejection goes to the judge, and an expired key to the retry loop. */
function firstAttempt<T>(
  port: KeyPort,
  secretName: string,
  call: (key: AccessKeySnapshot) => Promise<T>,
  options: CallOptions,
  key: AccessKeySnapshot,
  startedAt: number,
): Promise<T> {
  let attempt: Promise<T>;
  try {
    attempt = call(key);
  } catch (error) {
    // As an `async` caller would see it: a callback that throws at once is a rejected call.
    attempt = Promise.reject(error);
  }
  if (!(attempt instanceof Promise)) attempt = Promise.resolve(attempt);
  return attempt.then(undefined, (error: unknown) =>
    retryIfExpired(
      port,
      secretName,
      call,
      options,
      new CallLimits(options, undefined, startedAt),
      key,
      error,
    ),
  );
}

/** Every other call: joins an enclosing call, takes scoped options, waits for the first key, enters a frame. */
async function callFromStart<T>(
  port: KeyPort,
  secretName: string,
  call: (key: AccessKeySnapshot) => Promise<T>,
  options: CallOptions,
  startedAt: number,
): Promise<T> {
  const outerKey = keyInCurrentCall(port.owner, secretName);
  if (outerKey) return call(outerKey);
  const limits = new CallLimits(options, scopedCallOptions(), startedAt);
  let key = port.cachedKey(secretName, startedAt);
  // The budget (and its timer) is made only when the call has to wait: usually a cached key exists.
  key ??= await firstKey(port, secretName, limits.budget());
  try {
    return await attemptWith(port, secretName, call, options, key);
  } catch (error) {
    return retryIfExpired(port, secretName, call, options, limits, key, error);
  }
}

/**
 * After a call made with `key` failed with `error`: an expired key goes to the retry loop; any other error
 * passes through as the same object, thrown here without another async layer.
 */
function retryIfExpired<T>(
  port: KeyPort,
  secretName: string,
  call: (key: AccessKeySnapshot) => Promise<T>,
  options: CallOptions,
  limits: CallLimits,
  key: AccessKeySnapshot,
  error: unknown,
): Promise<T> {
  if (!safeJudge(options.isExpiredKeyError ?? isExpiredKeyError, error)) throw error;
  return retryAfterRejection(port, secretName, call, options, limits, key, error);
}

/**
 * After `rejection` (judged an expired key) of a call made with `key`: refresh, and retry while the refresh
 * brings another key pair, retries and budget are left. "Retries exhausted → the original error": the
 * first rejection is what the caller gets.
 */
async function retryAfterRejection<T>(
  port: KeyPort,
  secretName: string,
  call: (key: AccessKeySnapshot) => Promise<T>,
  options: CallOptions,
  limits: CallLimits,
  key: AccessKeySnapshot,
  rejection: unknown,
): Promise<T> {
  const judge = options.isExpiredKeyError ?? isExpiredKeyError;
  const maxRetries = options.maxRetries ?? 1;
  const firstRejection = rejection;
  let error = rejection;
  for (let attempt = 1; ; attempt += 1) {
    const budget = limits.budget();
    const next = await refreshAfterRejection(
      port,
      secretName,
      key,
      budget.signal(),
      limits.callerSignal,
      (failure) => recordRefreshFailure(firstRejection, kmsFailure(port, secretName, budget, failure)),
    );
    // Retry only with another key: a new generation with the same key pair (a new VersionId of the same
    // AccessKey) would be refused again.
    if (!next || sameKeyPair(next, key)) throw firstRejection;
    if (attempt > maxRetries || budget.signal().aborted) throw firstRejection;
    if (options.replayable?.() === false) throw new NonReplayableCallError(secretName, error);
    port.callRetried({ secretName, fromGeneration: key.generation, toGeneration: next.generation, attempt });
    key = next;
    try {
      return await attemptWith(port, secretName, call, options, key);
    } catch (retryError) {
      if (!safeJudge(judge, retryError)) throw retryError;
      error = retryError;
    }
  }
}

/** One attempt with `key`, inside a call frame unless the caller asked for none. */
function attemptWith<T>(
  port: KeyPort,
  secretName: string,
  call: (key: AccessKeySnapshot) => Promise<T>,
  options: CallOptions,
  key: AccessKeySnapshot,
): Promise<T> {
  return options.trackCallContext === false
    ? call(key)
    : runWithKey(port.owner, secretName, key, () => call(key));
}

/** A call's signals and time budget; the budget (and its timer) is made on first need. */
class CallLimits {
  readonly callerSignal: AbortSignal | undefined;
  readonly #timeoutMs: number;
  readonly #startedAt: number;
  #budget: CallBudget | undefined;

  /** @param startedAt where the budget counts from: the call's start (`monotonicNow()`). */
  constructor(options: CallOptions, scoped: ScopedCallOptions | undefined, startedAt: number) {
    this.callerSignal = combineSignals(options.signal, scoped?.signal);
    this.#timeoutMs = options.timeoutMs ?? scoped?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#startedAt = startedAt;
  }

  budget(): CallBudget {
    this.#budget ??= new CallBudget(this.#timeoutMs, this.callerSignal, this.#startedAt);
    return this.#budget;
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
