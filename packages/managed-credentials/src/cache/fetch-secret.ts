import { AccessKeySnapshot } from '../access-key.js';
import { ManagedCredentialsError, SecretFetchError } from '../errors.js';
import type { RefreshReason } from '../events.js';
import type { SecretInfo } from '../kms/types.js';
import { parseRamSecretValue, type RamSecretValue } from '../secret/ram-secret-value.js';
import { withRetry } from './retry.js';
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

/**
 * Reads and parses the secret, retrying transient failures with backoff until
 * `closed` aborts. `onAttemptError` sees every failed attempt (the cause a
 * call's timeout reports).
 */
export function fetchRamSecret(
  secretName: string,
  ctx: Pick<EntryContext, 'source' | 'retry' | 'random' | 'closed'>,
  reason: RefreshReason,
  onAttemptError: (error: unknown) => void,
): Promise<FetchedSecret> {
  const { source, closed } = ctx;
  // A background refresh sleeps on unref()ed timers; a caller waiting keeps the process up.
  const keepAlive = reason !== 'scheduled' && reason !== 'prefetch';
  return withRetry(
    async () => {
      // KMS sockets are unref()ed (kms/request-watch.ts); while a caller waits, this ref()ed timer keeps the process up.
      const hold = keepAlive ? setInterval(() => undefined, 2 ** 30) : undefined;
      try {
        const info = await source.getSecretValue(secretName, { signal: closed });
        return { info, value: parseRamSecretValue(secretName, info.secretData) };
      } catch (error) {
        onAttemptError(error);
        throw error;
      } finally {
        clearInterval(hold);
      }
    },
    { ...ctx.retry, random: ctx.random, signal: closed, keepAlive },
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
