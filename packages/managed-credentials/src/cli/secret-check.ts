import type { ManagedCredentialsConfig } from '../config/types.js';
import type { SecretSource } from '../kms/types.js';
import { parseRamSecretValue } from '../secret/ram-secret-value.js';
import { nextRefreshAt } from '../secret/refresh-policy.js';
import { errorReport, type SecretReport } from './doctor-report.js';
import { maskKeyId, type Redactor } from './redact.js';

/**
 * Fetches one secret once (no retry) and reports it, redacted: key id
 * prefix, version, rotation data and when a provider would refresh it next
 * (the real refresh policy, without the per-process jitter). The fetched
 * AccessKeySecret goes to the redactor before anything is printed.
 */
export async function checkSecret(
  source: SecretSource,
  secretName: string,
  config: ManagedCredentialsConfig,
  redactor: Redactor,
  timeoutMs: number,
): Promise<SecretReport> {
  const started = performance.now();
  try {
    const info = await source.getSecretValue(secretName, { signal: AbortSignal.timeout(timeoutMs) });
    const fetchedInMs = Math.round(performance.now() - started);
    const value = parseRamSecretValue(secretName, info.secretData);
    redactor.forget(value.accessKeySecret);
    redactor.maskKeyId(value.accessKeyId);
    const now = Date.now();
    const plan = nextRefreshAt({ secret: info, value, config, now, random: () => 0 });
    const report: SecretReport = {
      name: secretName,
      ok: true,
      accessKeyId: maskKeyId(value.accessKeyId),
      versionId: info.versionId,
      fetchedInMs,
      nextRefreshAt: new Date(plan.nextRefreshAt).toISOString(),
      refreshBasis: plan.basis,
      refreshEveryMs: plan.ttlMs,
    };
    if (info.secretType) report.secretType = info.secretType;
    if (info.rotationInterval) report.rotationInterval = info.rotationInterval;
    if (info.nextRotationDate) report.nextRotationDate = info.nextRotationDate;
    return report;
  } catch (error) {
    return { name: secretName, ok: false, error: errorReport(error) };
  }
}
