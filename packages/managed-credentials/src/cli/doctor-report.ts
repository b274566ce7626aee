/**
 * The doctor's findings as data: `--json` prints this object (schema
 * `managed-credentials-doctor/1`, documented in the package README), the text
 * report is rendered from it. Fields are only ever added within one schema
 * version; values are already redacted (secrets never appear, AccessKey ids masked).
 */

/** Identifies the schema; a breaking change to the shape gets a new number. */
export const DOCTOR_SCHEMA = 'managed-credentials-doctor/1';

/** An error as the doctor reports it: class, stable code, message and the typed fields that locate it. */
export interface ErrorReport {
  name: string;
  /** `MC_*` for this library's errors. */
  code?: string;
  message: string;
  key?: string;
  file?: string;
  secretName?: string;
  kmsCode?: string;
  httpStatus?: number;
  requestId?: string;
  endpoint?: string;
}

export interface ConfigKeyReport {
  key: string;
  /** Secrets as `<redacted>`, AccessKey ids masked, secret fields of JSON values redacted. */
  value: string;
  origin: 'file' | 'env';
}

export interface ConfigurationReport {
  /** The properties file looked for (absolute). */
  file: string;
  /** `option` (--config), `env` (MANAGED_CREDENTIALS_CONFIG_FILE), `code` or `default`. */
  chosenBy: string;
  found: boolean;
  keys: ConfigKeyReport[];
  /** Keys in the file that the library does not know (typos?); ignored by it. */
  unknownKeys: string[];
  valid: boolean;
  /** Why it is not valid. */
  error?: ErrorReport;
  /** What the loader understood (auth, KMS endpoints, timings), one line each, for people. */
  summary: string[];
}

/**
 * `authenticated`: KMS accepted the credentials (the probe secret was not
 * found, or found, or KMS refused it by policy). `failed`: KMS rejected them
 * or could not be reached. `not-checked`: the configuration is invalid.
 */
export type KmsStatus = 'authenticated' | 'failed' | 'not-checked';

export interface KmsReport {
  status: KmsStatus;
  /** `probe` (GetSecretValue of `probeSecretName`) when no secret was named, else `secrets`. */
  method: 'probe' | 'secrets';
  probeSecretName?: string;
  /** What the answer proves, for people. */
  explanation: string;
  error?: ErrorReport;
}

export interface SecretReport {
  name: string;
  ok: boolean;
  /** Masked, e.g. `LTAI****wXyZ`; only for a RAM secret. */
  accessKeyId?: string;
  /** For a secret of another type (a database password …): `text` or `binary`, and its length; never the value. */
  secretDataType?: string;
  valueLength?: number;
  versionId?: string;
  fetchedInMs?: number;
  secretType?: string;
  /** As KMS writes it, e.g. `86400s`. */
  rotationInterval?: string;
  nextRotationDate?: string;
  /** ISO date of the next scheduled refresh a provider would make (before its per-process jitter). */
  nextRefreshAt?: string;
  /** `rotation-date` (just after the next rotation) or the period it follows. */
  refreshBasis?: string;
  refreshEveryMs?: number;
  error?: ErrorReport;
}

export interface DoctorReport {
  schema: typeof DOCTOR_SCHEMA;
  /** Version of the `managed-credentials` package that ran. */
  version: string;
  ok: boolean;
  /** 0 every check passed, 1 a check failed. */
  exitCode: 0 | 1;
  configuration: ConfigurationReport;
  kms: KmsReport;
  secrets: SecretReport[];
  warnings: string[];
}

const ERROR_FIELDS = ['key', 'file', 'secretName', 'kmsCode', 'requestId', 'endpoint'] as const;

/** The report of any thrown value. */
export function errorReport(error: unknown): ErrorReport {
  if (!(error instanceof Error)) return { name: 'NonError', message: String(error) };
  const fields = error as Error & Record<string, unknown>;
  const report: ErrorReport = { name: error.name, message: error.message };
  if (typeof fields['code'] === 'string') report.code = fields['code'];
  for (const field of ERROR_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string') report[field] = value;
  }
  if (typeof fields['httpStatus'] === 'number') report.httpStatus = fields['httpStatus'];
  return report;
}
