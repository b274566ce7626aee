/**
 * Which KMS failure a rejected business call ran into while refreshing: the
 * caller gets the SDK's original error (the same object, untouched), and
 * {@link refreshFailureOf} on it returns the failure. A WeakMap rather than a
 * field: the SDK's error is not ours to change, and nothing is kept alive.
 */
const failures = new WeakMap<object, Error>();

/** Records that the refresh after `rejection` failed with `failure` (ignored when `rejection` is not an object). */
export function recordRefreshFailure(rejection: unknown, failure: Error): void {
  if (typeof rejection === 'object' && rejection !== null) failures.set(rejection, failure);
}

/**
 * For an error a `callWithAccessKey` call rethrew (the SDK's original
 * expired-key error): the reason the refresh it triggered brought no new key,
 * when KMS failed — a `SecretFetchError` (`kmsCode`, `retryable`…), or a
 * `CallTimeoutError` whose `cause` is the latest failed KMS attempt when the
 * call's budget ran out while KMS was slow. Undefined when KMS answered (it
 * still serves the rejected key, or the refusal was rate-limited).
 *
 * @example
 * try { await ecs.describeInstances(req); } catch (err) {
 *   const kms = refreshFailureOf(err);
 *   if (kms) log.warn('key rejected and KMS could not refresh it', kms);
 *   throw err;
 * }
 */
export function refreshFailureOf(error: unknown): Error | undefined {
  return typeof error === 'object' && error !== null ? failures.get(error) : undefined;
}
