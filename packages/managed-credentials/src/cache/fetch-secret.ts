import { ManagedCredentialsError, SecretFetchError } from '../errors.js';
import type { RefreshReason } from '../events.js';
import type { SecretInfo } from '../kms/types.js';
import { withRetry } from './retry.js';
import type { EntryContext } from './entry-context.js';

/*
 * One fetch of a secret from KMS, apart from the cache entry's single-flight and timer bookkeeping: the
 * read with its retries and the typed error of a failure. What follows from a success (the snapshot, the
 * AccessKey derived from it) is `secret-snapshot.ts`.
 */

/**
 * Reads the secret (any type: its value is not parsed here), retrying transient failures with backoff
 * until `closed` aborts. `onAttemptError` sees every failed attempt (the cause a
 * call's timeout reports).
 */
export function fetchSecret(
  secretName: string,
  ctx: Pick<EntryContext, 'source' | 'retry' | 'random' | 'closed'>,
  reason: RefreshReason,
  onAttemptError: (error: unknown) => void,
): Promise<SecretInfo> {
  const { source, closed } = ctx;
  return withRetry(
    async () => {
      try {
        return await source.getSecretValue(secretName, { signal: closed });
      } catch (error) {
        onAttemptError(error);
        throw error;
      }
    },
    // Backoff sleeps are unref()ed whoever started the fetch: a waiter joining it later holds the process
    // open through the keep-alive (cache/keep-alive.ts), not through the fetch's own timers.
    { ...ctx.retry, random: ctx.random, signal: closed, keepAlive: false },
  );
}

/** A failed fetch as the typed error readers get: ours as is, anything else wrapped (not retryable). */
export function toFetchError(secretName: string, error: unknown): ManagedCredentialsError {
  return error instanceof ManagedCredentialsError
    ? error
    : new SecretFetchError(`Fetching secret "${secretName}" from KMS failed unexpectedly.`, {
        secretName,
        retryable: false,
        cause: error,
      });
}
