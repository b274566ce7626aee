import { REFRESH_JITTER_RANGE_MS } from '../secret/refresh-policy.js';
import type { DoctorReport, SecretReport } from './doctor-report.js';
import { describeError, formatDuration } from './format.js';
import type { RedactingWriter } from './redact.js';

const CHOSEN_BY: Record<string, string> = {
  option: '--config',
  env: 'MANAGED_CREDENTIALS_CONFIG_FILE',
  code: 'setConfigFilePath()',
  default: 'default location',
};

/**
 * The report for people: findings on `out` (stdout); failures and warnings
 * on `err` (stderr), in place, so they show even when stdout goes to a file.
 */
export function renderText(report: DoctorReport, out: RedactingWriter, err: RedactingWriter): void {
  const fail = (text: string): void => err.line(`  FAIL ${text}`);
  const { configuration } = report;
  out.line(`managed-credentials doctor ${report.version}`);
  out.line('');
  out.line('Configuration');
  const chosenBy = CHOSEN_BY[configuration.chosenBy] ?? configuration.chosenBy;
  out.line(`  file: ${configuration.file} (${chosenBy}; ${configuration.found ? 'found' : 'not found'})`);
  if (configuration.keys.length === 0)
    out.line('  no managed-credentials key is set in the file or the environment');
  const width = Math.max(0, ...configuration.keys.map(({ key }) => key.length));
  for (const { key, value, origin } of configuration.keys)
    out.line(`  ${key.padEnd(width)}  ${value}  (${origin})`);
  if (configuration.error) fail(describeError(configuration.error));
  else {
    out.line('  valid; understood as:');
    for (const line of configuration.summary) out.line(`  ${line}`);
  }
  for (const warning of report.warnings) err.line(`  warning: ${warning}`);

  const { kms } = report;
  if (kms.status !== 'not-checked' && kms.method === 'probe') {
    out.line('');
    out.line(`KMS authentication (GetSecretValue of the probe secret ${kms.probeSecretName})`);
    if (kms.status === 'authenticated') out.line(`  ok   ${kms.explanation}`);
    else fail(`${kms.explanation}${kms.error ? ` ${describeError(kms.error)}` : ''}`);
  }
  if (kms.status !== 'not-checked' && kms.method === 'secrets') {
    out.line('');
    out.line('Secrets (one KMS fetch each, no retry)');
    for (const secret of report.secrets) {
      if (secret.ok) printSecret(secret, out);
      else fail(`${secret.name}: ${secret.error ? describeError(secret.error) : 'failed'}`);
    }
    if (report.secrets.length === 0 && kms.error) fail(`${kms.explanation}: ${describeError(kms.error)}`);
  }
  out.line('');
  out.line(`Result: ${resultLine(report)} (exit ${report.exitCode}).`);
}

function printSecret(secret: SecretReport, out: RedactingWriter): void {
  out.line(
    `  ok   ${secret.name}: ${describeValue(secret)}, version ${secret.versionId}, fetched in ${secret.fetchedInMs} ms`,
  );
  const rotation = [
    secret.secretType && `type ${secret.secretType}`,
    secret.rotationInterval &&
      `rotation every ${formatDuration((Number.parseFloat(secret.rotationInterval) || 0) * 1000)}`,
    secret.nextRotationDate && `next rotation ${secret.nextRotationDate}`,
  ].filter(Boolean);
  if (rotation.length > 0) out.line(`       ${rotation.join(', ')}`);
  if (secret.nextRefreshAt === undefined) return;
  const inMs = Date.parse(secret.nextRefreshAt) - Date.now();
  const basis =
    secret.refreshBasis === 'rotation-date'
      ? 'just after the next rotation'
      : `every ${formatDuration(secret.refreshEveryMs ?? 0)}`;
  out.line(
    `       next scheduled refresh ${secret.nextRefreshAt} (in ${formatDuration(inMs)}, plus up to ${formatDuration(REFRESH_JITTER_RANGE_MS)} jitter; ${basis})`,
  );
}

function resultLine(report: DoctorReport): string {
  if (report.configuration.error) return 'the configuration is invalid';
  if (report.kms.method === 'probe') {
    return report.ok
      ? 'OK — configuration valid, KMS accepts the credentials, no secret named (--secret or secret_names)'
      : 'KMS authentication failed';
  }
  if (report.secrets.length === 0) return 'no KMS client could be made';
  const failed = report.secrets.filter((secret) => !secret.ok).length;
  return failed > 0
    ? `${failed} of ${report.secrets.length} secret(s) could not be fetched`
    : `OK — configuration valid, ${report.secrets.length} secret(s) fetched`;
}

/** A RAM secret by its masked key id; a secret of another type by its type and size (never its value). */
function describeValue(secret: SecretReport): string {
  if (secret.accessKeyId !== undefined) return `key ${secret.accessKeyId}`;
  return `${secret.secretType ?? 'secret'} value of ${secret.valueLength} characters (${secret.secretDataType}; not an AccessKey)`;
}
