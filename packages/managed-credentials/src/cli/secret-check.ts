import type { ManagedCredentialsConfig } from '../config/types.js';
import type { SecretSource } from '../kms/types.js';
import { parseRamSecretValue } from '../secret/ram-secret-value.js';
import { REFRESH_JITTER_RANGE_MS, nextRefreshAt } from '../secret/refresh-policy.js';
import { describeError, formatDuration } from './format.js';
import { maskKeyId, type RedactingWriter } from './redact.js';

/**
 * Fetches one secret once (no retry) and prints a redacted result: key id
 * prefix, version, rotation data and when a provider would refresh it next
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
    const value = parseRamSecretValue(secretName, info.secretData);
    out.forget(value.accessKeySecret);
    const now = Date.now();
    const plan = nextRefreshAt({ secret: info, value, config, now, random: () => 0 });
    out.line(
      `  ok   ${secretName}: key ${maskKeyId(value.accessKeyId)}, version ${info.versionId}, fetched in ${elapsedMs} ms`,
    );
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
