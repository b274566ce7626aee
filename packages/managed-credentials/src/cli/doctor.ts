import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import type { ManagedCredentialsConfig } from '../config/types.js';
import { createSecretSource } from '../kms/create-secret-source.js';
import {
  configurationKeys,
  describeUnderstood,
  forgetConfiguredSecrets,
  readLayers,
} from './config-report.js';
import { DOCTOR_SCHEMA, errorReport, type DoctorReport, type KmsReport } from './doctor-report.js';
import { PROBE_SECRET_NAME, probeKms } from './kms-probe.js';
import { RedactingWriter, Redactor } from './redact.js';
import { renderText } from './render-text.js';
import { checkSecret } from './secret-check.js';

/** Where the CLI reads and writes; injected so tests run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Version of the package, printed by `--version` and in reports (the bin reads it from package.json). */
  version?: string;
}

/** Exit codes: 0 all good, 1 a check failed, 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const DEFAULT_TIMEOUT_MS = 10_000;

export const DOCTOR_HELP = `Usage: managed-credentials doctor [--config <path>] [--secret <name>]... [--timeout <ms>] [--json]

Checks the managed-credentials configuration, the credentials it uses for KMS
and the secrets it serves:
  1. loads the configuration (properties file, then environment variables with
     the same key names) and lists every key, its value and where it came from
     (secret values are shown as <redacted>, AccessKey ids masked);
  2. validates it as the library does (JSON values, paths, ClientKey files,
     passwords) and reports a typed error naming the key on failure;
  3. fetches each secret once from KMS (--secret, or secret_names from the
     configuration) and shows its key id prefix, version and when a provider
     would refresh it next. With no secret to fetch, it asks KMS for the probe
     secret "${PROBE_SECRET_NAME}" instead: KMS answers "not found" (or "not
     allowed by policy") only to a caller it has authenticated, and refuses a
     wrong AccessKey, secret, ClientKey or token first.
Never prints an AccessKeySecret, a password or a token; AccessKey ids only masked.

Options:
  --config <path>   properties file (default: $MANAGED_CREDENTIALS_CONFIG_FILE,
                    else ./managed_credentials_providers.properties)
  --secret <name>   secret to fetch; repeat for several (default: secret_names)
  --timeout <ms>    per KMS request (default ${DEFAULT_TIMEOUT_MS})
  --json            print the report as one JSON object (schema ${DOCTOR_SCHEMA})
  -h, --help        this help

Output: the report on stdout; failures and warnings on stderr.
Exit status: 0 all checks passed, 1 a check failed, 2 bad usage.
`;

interface DoctorOptions {
  config: string | undefined;
  secrets: string[];
  timeoutMs: number;
  json: boolean;
}

/**
 * `managed-credentials doctor`: loads and validates the configuration, checks
 * that KMS accepts its credentials and fetches each secret once, then prints
 * a redacted report (text or `--json`). Resolves to the exit code.
 */
export async function runDoctor(args: readonly string[], io: CliIo): Promise<number> {
  let options: DoctorOptions | 'help';
  try {
    options = parseDoctorArgs(args);
  } catch (error) {
    io.stderr(`managed-credentials doctor: ${(error as Error).message}\n\n${DOCTOR_HELP}`);
    return EXIT.usage;
  }
  if (options === 'help') {
    io.stdout(DOCTOR_HELP);
    return EXIT.ok;
  }
  const redactor = new Redactor();
  const report = await examine(options, io, redactor);
  const out = new RedactingWriter(io.stdout, redactor);
  if (options.json) {
    out.line(JSON.stringify(report, null, 2));
    const err = new RedactingWriter(io.stderr, redactor);
    for (const warning of report.warnings) err.line(`managed-credentials doctor: warning: ${warning}`);
    if (!report.ok) err.line('managed-credentials doctor: a check failed (see "ok" in the report)');
  } else {
    renderText(report, out, new RedactingWriter(io.stderr, redactor));
  }
  return report.exitCode;
}

async function examine(options: DoctorOptions, io: CliIo, redactor: Redactor): Promise<DoctorReport> {
  const layers = readLayers({ file: options.config, env: io.env, cwd: io.cwd });
  forgetConfiguredSecrets(layers, io.env, redactor);
  const report: DoctorReport = {
    schema: DOCTOR_SCHEMA,
    version: io.version ?? 'unknown',
    ok: false,
    exitCode: EXIT.failed,
    configuration: {
      file: layers.file,
      chosenBy: layers.choice,
      found: layers.fileFound,
      ...configurationKeys(layers),
      valid: false,
      summary: [],
    },
    kms: { status: 'not-checked', method: 'secrets', explanation: 'the configuration is invalid' },
    secrets: [],
    warnings: [],
  };
  const { unknownKeys } = report.configuration;
  if (unknownKeys.length > 0) {
    report.warnings.push(`unknown keys in the file, ignored (typos?): ${unknownKeys.join(', ')}`);
  }
  let config: ManagedCredentialsConfig;
  try {
    config = loadConfig({ file: options.config, env: io.env, cwd: io.cwd });
    forgetConfiguredSecrets(layers, io.env, redactor, config);
  } catch (error) {
    report.configuration.error = errorReport(error);
    return report;
  }
  report.configuration.valid = true;
  report.configuration.summary = describeUnderstood(config);

  let source;
  try {
    source = createSecretSource(config, { requestTimeoutMs: options.timeoutMs });
  } catch (error) {
    report.kms = {
      status: 'failed',
      method: 'secrets',
      explanation: 'no KMS client',
      error: errorReport(error),
    };
    return report;
  }
  try {
    const names = options.secrets.length > 0 ? options.secrets : config.secretNames;
    if (names.length === 0) {
      report.kms = await probeKms(source, options.timeoutMs);
    } else {
      for (const name of names) {
        report.secrets.push(await checkSecret(source, name, config, redactor, options.timeoutMs));
      }
      report.kms = secretsVerdict(report.secrets);
    }
  } finally {
    source.close?.();
  }
  report.ok = report.kms.status === 'authenticated' && report.secrets.every((secret) => secret.ok);
  report.exitCode = report.ok ? EXIT.ok : EXIT.failed;
  return report;
}

/** What the secret fetches prove about the credentials: one success authenticates them. */
function secretsVerdict(secrets: DoctorReport['secrets']): KmsReport {
  const fetched = secrets.some((secret) => secret.ok);
  return fetched
    ? {
        status: 'authenticated',
        method: 'secrets',
        explanation: 'KMS returned a named secret: the credentials work.',
      }
    : {
        status: 'failed',
        method: 'secrets',
        explanation: 'no named secret could be fetched; see each secret for why',
      };
}

function parseDoctorArgs(args: readonly string[]): DoctorOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      secret: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`--timeout must be a positive number of milliseconds, got "${values.timeout}"`);
  }
  const secrets = (values.secret ?? []).map((name) => name.trim());
  if (secrets.some((name) => name === '')) throw new Error('--secret needs a secret name');
  return { config: values.config, secrets, timeoutMs, json: values.json === true };
}
