import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import type { ManagedCredentialsConfig } from '../config/types.js';
import { createSecretSource } from '../kms/create-secret-source.js';
import type { SecretSource } from '../kms/types.js';
import { forgetConfiguredSecrets, printKeys, printUnderstood, readLayers } from './config-report.js';
import { describeError } from './format.js';
import { RedactingWriter } from './redact.js';
import { checkSecret } from './secret-check.js';

/** Where the CLI reads and writes; injected so tests run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit codes: 0 all good, 1 a check failed, 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const DEFAULT_TIMEOUT_MS = 10_000;

export const DOCTOR_HELP = `Usage: managed-credentials doctor [--config <path>] [--secret <name>]... [--timeout <ms>]

Checks the managed-credentials configuration and the KMS secrets it serves:
  1. loads the configuration (properties file, then environment variables with
     the same key names) and lists every key, its value and where it came from
     (secret values are shown as <redacted>, AccessKey ids masked);
  2. validates it as the library does (JSON values, paths, ClientKey files,
     passwords) and reports a typed error naming the key on failure;
  3. fetches each secret once from KMS (--secret, or secret_names from the
     configuration) and shows its key id prefix, version and when a provider
     would refresh it next. Never prints an AccessKeySecret or a password.

Options:
  --config <path>   properties file (default: $MANAGED_CREDENTIALS_CONFIG_FILE,
                    else ./managed_credentials_providers.properties)
  --secret <name>   secret to fetch; repeat for several (default: secret_names)
  --timeout <ms>    per KMS request (default ${DEFAULT_TIMEOUT_MS})
  -h, --help        this help

Exit status: 0 all checks passed, 1 a check failed, 2 bad usage.
`;

interface DoctorOptions {
  config: string | undefined;
  secrets: string[];
  timeoutMs: number;
}

/**
 * `managed-credentials doctor`: loads and validates the configuration, then
 * fetches each secret once, printing a redacted report. Resolves to the exit code.
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
  const out = new RedactingWriter(io.stdout);
  const layers = readLayers({ file: options.config, env: io.env, cwd: io.cwd });
  forgetConfiguredSecrets(layers, io.env, out);

  out.line('managed-credentials doctor');
  out.line('');
  out.line('Configuration');
  printKeys(layers, out);
  let config: ManagedCredentialsConfig;
  let source: SecretSource;
  try {
    config = loadConfig({ file: options.config, env: io.env, cwd: io.cwd });
    forgetConfiguredSecrets(layers, io.env, out, config);
    source = createSecretSource(config, { requestTimeoutMs: options.timeoutMs });
  } catch (error) {
    out.line(`  FAIL ${describeError(error)}`);
    out.line('');
    out.line('Result: the configuration is invalid (exit 1).');
    return EXIT.failed;
  }
  out.line('  valid; understood as:');
  printUnderstood(config, out);

  const secretNames = options.secrets.length > 0 ? options.secrets : config.secretNames;
  out.line('');
  out.line('Secrets (one KMS fetch each, no retry)');
  let failures = 0;
  try {
    if (secretNames.length === 0) out.line('  none to check: pass --secret <name> or set secret_names');
    for (const secretName of secretNames) {
      const ok = await checkSecret(source, secretName, config, out, options.timeoutMs);
      if (!ok) failures += 1;
    }
  } finally {
    source.close?.();
  }
  out.line('');
  if (failures > 0) {
    out.line(`Result: ${failures} of ${secretNames.length} secret(s) could not be fetched (exit 1).`);
    return EXIT.failed;
  }
  out.line(`Result: OK — configuration valid, ${secretNames.length} secret(s) fetched (exit 0).`);
  return EXIT.ok;
}

function parseDoctorArgs(args: readonly string[]): DoctorOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      secret: { type: 'string', multiple: true },
      timeout: { type: 'string' },
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
  return { config: values.config, secrets, timeoutMs };
}
