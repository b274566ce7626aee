import { AccessKeySnapshot } from '../access-key.js';
import { ManagedCredentialsError, SecretFetchError } from '../errors.js';
import type { RefreshReason } from '../events.js';
import type { SecretInfo } from '../kms/types.js';
import { parseRamSecretValue, type RamSecretValue } from '../secret/ram-secret-value.js';
import type { FetchPacer } from './fetch-pacer.js';
import { hedgedAttempt } from './hedged-attempt.js';
import { isRetryable, withRetry } from './retry.js';
import { sleep } from './sleep.js';
import type { EntryContext } from './secret-entry.js';

/**
 * A RAM secret as one fetch read it from KMS. This module is that fetch and
 * what follows from it, apart from the cache entry's single-flight and timer
 * bookkeeping: the read with its retries, the typed error of a failure, the
 * snapshot that follows a success.
 */
export interface FetchedSecret {
  info: SecretInfo;
  value: RamSecretValue;
}

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
 * Reads and parses the secret: waits for the secret's not-before time, then
 * tries (each attempt hedged) and retries transient failures with backoff
 * until `closed` aborts. `onAttemptError` sees every failed request (the
 * cause a call's timeout reports).
 */
export async function fetchRamSecret(
  secretName: string,
  ctx: FetchContext,
  reason: RefreshReason,
  onAttemptError: (error: unknown) => void,
): Promise<FetchedSecret> {
  const { source, closed, pacer, scheduler } = ctx;
  // A background refresh sleeps on unref()ed timers; a caller waiting keeps the process up.
  const keepAlive = reason !== 'scheduled' && reason !== 'prefetch';
  // No wait due: the request goes out synchronously (no tick between a refresh and its KMS call).
  const waitMs = pacer.waitMs();
  if (waitMs > 0) await sleep(scheduler, waitMs, { signal: closed, keepAlive });
  const request = async (signal: AbortSignal): Promise<FetchedSecret> => {
    try {
      const info = await source.getSecretValue(secretName, { signal });
      return { info, value: parseRamSecretValue(secretName, info.secretData) };
    } catch (error) {
      onAttemptError(error);
      throw error;
    }
  };
  const attempt = async (): Promise<FetchedSecret> => {
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

/**
 * The snapshot that replaces `previous` after a fetch. The generation goes up
 * only when the key pair or the version changed, so a re-read of the same
 * version does not look like a new key to a call retrying after a rejection.
 */
export function nextSnapshot(
  previous: AccessKeySnapshot | undefined,
  secretName: string,
  { info, value }: FetchedSecret,
  fetchedAt: number,
): { snapshot: AccessKeySnapshot; keyChanged: boolean } {
  const keyChanged =
    !previous ||
    previous.accessKeyId !== value.accessKeyId ||
    previous.versionId !== info.versionId ||
    previous.accessKeySecret !== value.accessKeySecret;
  const snapshot = new AccessKeySnapshot({
    secretName,
    accessKeyId: value.accessKeyId,
    accessKeySecret: value.accessKeySecret,
    generation: previous ? previous.generation + (keyChanged ? 1 : 0) : 1,
    fetchedAt,
    versionId: info.versionId,
  });
  return { snapshot, keyChanged };
}
