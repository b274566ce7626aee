import type { ManagedCredentialsConfig } from '../config/types.js';
import { SecretFormatError } from '../errors.js';
import type { SecretInfo, SecretSource } from '../kms/types.js';
import { parseRamSecretValue, type RamSecretValue } from '../secret/ram-secret-value.js';
import { REFRESH_JITTER_RANGE_MS, nextRefreshAt } from '../secret/refresh-policy.js';
import { describeError, formatDuration } from './format.js';
import { maskKeyId, type RedactingWriter } from './redact.js';

/**
 * Fetches one secret once (no retry) and prints a redacted result: key id
 * prefix (for a secret of another type than RAM: its type and the size of its
 * value), version, rotation data and when a provider would refresh it next
 * (the real refresh policy, without the per-process jitter). Returns whether it worked.
 */
export async function checkSecret(
  source: SecretSource,
  secretName: string,
  config: ManagedCredentialsConfig,
  out: RedactingWriter,
  timeoutMs: number,
): Promise<boolean> {
  const started = performance.now();
  try {
    const info = await source.getSecretValue(secretName, { signal: AbortSignal.timeout(timeoutMs) });
    const elapsedMs = Math.round(performance.now() - started);
    const value = ramValueOf(secretName, info, out);
    const now = Date.now();
    const plan = nextRefreshAt({ secret: info, value: value ?? {}, config, now, random: () => 0 });
    const what = value
      ? `key ${maskKeyId(value.accessKeyId)}`
      : `${info.secretType ?? 'secret'} value of ${info.secretData.length} characters (${info.secretDataType}; not an AccessKey)`;
    out.line(`  ok   ${secretName}: ${what}, version ${info.versionId}, fetched in ${elapsedMs} ms`);
    const rotation = [
      info.secretType && `type ${info.secretType}`,
      info.rotationInterval &&
        `rotation every ${formatDuration((Number.parseFloat(info.rotationInterval) || 0) * 1000)}`,
      info.nextRotationDate && `next rotation ${info.nextRotationDate}`,
    ].filter(Boolean);
    if (rotation.length > 0) out.line(`       ${rotation.join(', ')}`);
    out.line(
      `       next scheduled refresh ${new Date(plan.nextRefreshAt).toISOString()} (in ${formatDuration(plan.nextRefreshAt - now)}, plus up to ${formatDuration(REFRESH_JITTER_RANGE_MS)} jitter; ${plan.basis === 'rotation-date' ? 'just after the next rotation' : `every ${formatDuration(plan.ttlMs)}`})`,
    );
    return true;
  } catch (error) {
    out.line(`  FAIL ${secretName}: ${describeError(error)}`);
    return false;
  }
}

/**
 * The AccessKey of a RAM secret, or undefined for a secret of another type (a database password …),
 * which the provider serves through `getSecretInfo`. A `RamCredentials` secret without a key pair is an
 * error. Either way the value is never printed.
 */
function ramValueOf(secretName: string, info: SecretInfo, out: RedactingWriter): RamSecretValue | undefined {
  out.forget(info.secretData);
  let value: RamSecretValue;
  try {
    value = parseRamSecretValue(secretName, info.secretData);
  } catch (error) {
    if (info.secretType === 'RamCredentials' || !(error instanceof SecretFormatError)) throw error;
    return undefined;
  }
  out.forget(value.accessKeySecret);
  return value;
}
