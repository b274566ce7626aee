import { ManagedCredentialsError, SecretFetchError } from '../errors.js';
import type { RefreshReason } from '../events.js';
import type { SecretInfo } from '../kms/types.js';
import type { EntryContext } from './entry-context.js';
import type { FetchPacer } from './fetch-pacer.js';
import { hedgedAttempt } from './hedged-attempt.js';
import { isRetryable, withRetry } from './retry.js';
import { sleep } from './sleep.js';

/*
 * One fetch of a secret from KMS, apart from the cache entry's single-flight and timer bookkeeping: the
 * read with its retries and the typed error of a failure. What follows from a success (the snapshot, the
 * AccessKey derived from it) is `secret-snapshot.ts`.
 */

/** What one fetch needs besides the secret's name. */
export interface FetchContext {
  source: EntryContext['source'];
  retry: EntryContext['retry'];
  clock: EntryContext['clock'];
  scheduler: EntryContext['scheduler'];
  closed: AbortSignal;
  /** A KMS request silent this long gets a hedge (see {@link hedgedAttempt}). */
  hedgeAfterMs: number;
  /** The secret's not-before time, shared by every path. */
  pacer: FetchPacer;
}

/**
 * Reads the secret (any type: its value is not parsed here): waits for the secret's not-before time,
 * then tries (each attempt hedged) and retries transient failures with backoff until `closed` aborts.
 * `onAttemptError` sees every failed request (the cause a call's timeout reports).
 */
export async function fetchSecret(
  secretName: string,
  ctx: FetchContext,
  reason: RefreshReason,
  onAttemptError: (error: unknown) => void,
): Promise<SecretInfo> {
  const { source, closed, pacer, scheduler } = ctx;
  // Sleeps are unref()ed whoever started the fetch: a waiter (first use, a rejected call, ready()) holds
  // the process open through the keep-alive (cache/keep-alive.ts) for as long as it waits, and no longer.
  const keepAlive = false;
  // No wait due: the request goes out synchronously (no tick between a refresh and its KMS call).
  const waitMs = pacer.waitMs();
  if (waitMs > 0) await sleep(scheduler, waitMs, { signal: closed, keepAlive });
  const request = async (signal: AbortSignal): Promise<SecretInfo> => {
    try {
      return await source.getSecretValue(secretName, { signal });
    } catch (error) {
      onAttemptError(error);
      throw error;
    }
  };
  const attempt = async (): Promise<SecretInfo> => {
    try {
      const fetched = await hedgedAttempt(request, {
        hedgeAfterMs: ctx.hedgeAfterMs,
        scheduler,
        signal: closed,
      });
      pacer.answered();
      return fetched;
    } catch (error) {
      if (isRetryable(error)) pacer.transientFailure();
      else pacer.answered();
      throw error;
    }
  };
  return withRetry(attempt, { ...ctx.retry, pacer, clock: ctx.clock, scheduler, signal: closed, keepAlive });
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
