import { AccessKeySnapshot } from '../access-key.js';
import { SecretFormatError } from '../errors.js';
import type { SecretInfo } from '../kms/types.js';
import { parseRamSecretValue, type RamSecretValue } from '../secret/ram-secret-value.js';
import type { RefreshPolicyValue } from '../secret/refresh-policy.js';
import { SecretValueInfo } from '../secret/secret-value-info.js';

/**
 * What a cache entry holds after a fetch: the secret as fetched (any type),
 * and — derived from it for AccessKey readers only — its AccessKey, or why
 * its value is not one. A generic secret is never a failure: only a reader
 * that asks for an AccessKey gets the `SecretFormatError` naming the secret.
 */
export interface SecretSnapshot {
  /**
   * 1 for the first fetch, one more each time a fetch brings another version or value; a re-read of the
   * same version keeps it. The AccessKey derived from this snapshot carries the same number.
   */
  readonly generation: number;
  readonly info: SecretValueInfo;
  readonly accessKey: AccessKeySnapshot | SecretFormatError;
}

/**
 * The snapshot that replaces `previous` after a fetch returned `fetched`, whether it changed (another
 * version or value than `previous`), and the refresh hints of a RAM value (`RefreshInterval`,
 * `ScheduleRotateTimestamp`) for the refresh policy.
 */
export function nextSecretSnapshot(
  previous: SecretSnapshot | undefined,
  secretName: string,
  fetched: SecretInfo,
  fetchedAt: number,
): { snapshot: SecretSnapshot; changed: boolean; hints: RefreshPolicyValue } {
  const info = new SecretValueInfo(fetched);
  const changed = !previous || previous.info.differsFrom(info);
  const generation = previous ? previous.generation + (changed ? 1 : 0) : 1;
  const value = ramValueOf(secretName, info);
  const accessKey =
    value instanceof SecretFormatError
      ? value
      : new AccessKeySnapshot({
          secretName,
          accessKeyId: value.accessKeyId,
          accessKeySecret: value.accessKeySecret,
          generation,
          fetchedAt,
          versionId: fetched.versionId,
        });
  const hints = value instanceof SecretFormatError ? {} : value;
  return { snapshot: { generation, info, accessKey }, changed, hints };
}

/** The AccessKey of a snapshot. @throws SecretFormatError naming the secret when its value holds no key pair. */
export function accessKeyOf(snapshot: SecretSnapshot): AccessKeySnapshot {
  if (snapshot.accessKey instanceof AccessKeySnapshot) return snapshot.accessKey;
  throw snapshot.accessKey;
}

/**
 * The AccessKey of a shared fetch's snapshot. Like the shared fetch itself, it is marked handled: a waiter
 * that stopped waiting (its signal aborted) leaves no unhandled rejection behind.
 */
export function accessKeyWhenFetched(shared: Promise<SecretSnapshot>): Promise<AccessKeySnapshot> {
  const mapped = shared.then(accessKeyOf);
  mapped.catch(() => undefined);
  return mapped;
}

/** {@link accessKeyOf} as a settled promise, for readers that return one without waiting. */
export function settledAccessKey(snapshot: SecretSnapshot): Promise<AccessKeySnapshot> {
  const { accessKey } = snapshot;
  return accessKey instanceof AccessKeySnapshot ? Promise.resolve(accessKey) : Promise.reject(accessKey);
}

function ramValueOf(secretName: string, info: SecretValueInfo): RamSecretValue | SecretFormatError {
  if (info.secretDataType === 'binary') {
    return new SecretFormatError(
      `The value of secret "${secretName}" is binary; a RAM secret holds {"AccessKeyId": …, "AccessKeySecret": …} as text.`,
      { secretName },
    );
  }
  try {
    return parseRamSecretValue(secretName, info.secretValue);
  } catch (error) {
    // parseRamSecretValue throws only SecretFormatError (never quoting the value); anything else is a bug.
    if (error instanceof SecretFormatError) return error;
    throw error;
  }
}
