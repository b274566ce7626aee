import type { ManagedCredentialsConfig } from '../config/types.js';
import { SecretFormatError } from '../errors.js';
import type { SecretInfo, SecretSource } from '../kms/types.js';
import { parseRamSecretValue, type RamSecretValue } from '../secret/ram-secret-value.js';
import { nextRefreshAt } from '../secret/refresh-policy.js';
import { errorReport, type SecretReport } from './doctor-report.js';
import { maskKeyId, type Redactor } from './redact.js';

/**
 * Fetches one secret once (no retry) and reports it, redacted: key id
 * prefix (for a secret of another type than RAM: its type and the size of its
 * value), version, rotation data and when a provider would refresh it next
 * (the real refresh policy, without the per-process jitter). The fetched
 * value and AccessKeySecret go to the redactor before anything is printed.
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
    const value = ramValueOf(secretName, info, redactor);
    const now = Date.now();
    const plan = nextRefreshAt({ secret: info, value: value ?? {}, config, now, random: () => 0 });
    const report: SecretReport = {
      name: secretName,
      ok: true,
      versionId: info.versionId,
      fetchedInMs,
      nextRefreshAt: new Date(plan.nextRefreshAt).toISOString(),
      refreshBasis: plan.basis,
      refreshEveryMs: plan.ttlMs,
    };
    if (value) report.accessKeyId = maskKeyId(value.accessKeyId);
    else {
      report.secretDataType = info.secretDataType;
      report.valueLength = info.secretData.length;
    }
    if (info.secretType) report.secretType = info.secretType;
    if (info.rotationInterval) report.rotationInterval = info.rotationInterval;
    if (info.nextRotationDate) report.nextRotationDate = info.nextRotationDate;
    return report;
  } catch (error) {
    return { name: secretName, ok: false, error: errorReport(error) };
  }
}

/**
 * The AccessKey of a RAM secret, or undefined for a secret of another type (a database password …),
 * which the provider serves through `getSecretInfo`. A `RamCredentials` secret without a key pair is an
 * error. Either way the value is never printed.
 */
function ramValueOf(secretName: string, info: SecretInfo, redactor: Redactor): RamSecretValue | undefined {
  redactor.forget(info.secretData);
  let value: RamSecretValue;
  try {
    value = parseRamSecretValue(secretName, info.secretData);
  } catch (error) {
    if (info.secretType === 'RamCredentials' || !(error instanceof SecretFormatError)) throw error;
    return undefined;
  }
  redactor.forget(value.accessKeySecret);
  redactor.maskKeyId(value.accessKeyId);
  return value;
}
