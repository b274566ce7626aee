import { readFileSync } from 'node:fs';
import { chooseConfigFile } from '../config/config-file.js';
import { CONFIG_KEYS, type ConfigKey } from '../config/keys.js';
import { RawConfigReader, readPropertiesFile } from '../config/raw-config.js';
import type { ManagedCredentialsConfig } from '../config/types.js';
import { kmsEndpointOrigin } from '../kms/endpoint.js';
import type { ConfigurationReport } from './doctor-report.js';
import { displayValue, maskKeyId, type Redactor } from './redact.js';
import { formatDuration } from './format.js';

/** The layers the loader will read, gathered without validating, so the doctor can show them even when invalid. */
export interface ConfigLayers {
  /** The properties file looked for (absolute). */
  readonly file: string;
  /** Who chose it: `option` (--config), `env` (MANAGED_CREDENTIALS_CONFIG_FILE), `default`, `code`. */
  readonly choice: string;
  readonly fileFound: boolean;
  readonly reader: RawConfigReader;
}

/** Reads the file (if any) and the environment the way `loadConfig` does. Never throws. */
export function readLayers(options: { file?: string; env: NodeJS.ProcessEnv; cwd: string }): ConfigLayers {
  const { path, choice } = chooseConfigFile(options);
  let values: Record<string, string> | undefined;
  try {
    values = readPropertiesFile(path);
  } catch {
    // Unreadable: loadConfig reports it with its typed error.
    values = undefined;
  }
  const reader = new RawConfigReader({
    file: values === undefined ? undefined : { path, values },
    env: options.env,
    cwd: options.cwd,
  });
  return { file: path, choice, fileFound: values !== undefined, reader };
}

/** The keys some layer sets, each with its displayed value and origin, and the unknown keys. */
export function configurationKeys(layers: ConfigLayers): Pick<ConfigurationReport, 'keys' | 'unknownKeys'> {
  const { reader } = layers;
  const origins = reader.origins();
  const keys = CONFIG_KEYS.filter((key) => reader.has(key)).map((key) => ({
    key,
    value: displayValue(key, reader.get(key) ?? ''),
    origin: origins[key] === 'env' ? ('env' as const) : ('file' as const),
  }));
  return { keys, unknownKeys: [...reader.unknownKeys] };
}

/** What the loader understood: auth, KMS endpoints, timings, one line each. */
export function describeUnderstood(config: ManagedCredentialsConfig): string[] {
  const lines: string[] = [];
  const auth = config.auth;
  if (auth) {
    const detail =
      auth.type === 'client_key'
        ? `ClientKey ${auth.clientKey.keyId} from ${auth.clientKey.file}`
        : auth.type === 'ecs_ram_role'
          ? `role ${auth.roleName ?? '(attached to the instance)'}`
          : auth.type === 'oidc_role_arn'
            ? `role ${auth.roleArn}`
            : `AccessKey ${maskKeyId(auth.accessKeyId)}${'roleArn' in auth ? `, role ${auth.roleArn}` : ''}`;
    lines.push(`KMS authentication: ${auth.type} (${detail})`);
  }
  for (const region of config.regions) {
    lines.push(`KMS region ${region.regionId}: ${kmsEndpointOrigin(region)}`);
  }
  for (const gateway of config.dedicatedGateways) {
    const tls = gateway.ignoreSslCerts ? 'certificates NOT verified' : `CA ${gateway.caFile ?? 'system'}`;
    lines.push(
      `KMS instance ${gateway.regionId}: ${gateway.endpoint} (ClientKey ${gateway.clientKey.keyId}, ${tls})`,
    );
  }
  const keys = config.origin.keys;
  const timing = (key: ConfigKey, ms: number): string =>
    `${key} ${formatDuration(ms)}${keys[key] ? '' : ' (default)'}`;
  lines.push(
    `${timing('refresh_secret_ttl', config.refreshSecretTtlMs)}, ${timing('rotation_interval', config.rotationIntervalMs)}, ${timing('delay_interval', config.delayIntervalMs)}`,
  );
  return lines;
}

/**
 * Tells the redactor every secret the configuration points at — the KMS
 * caller's AccessKeySecret, ClientKey passwords from env vars or files, loaded
 * private keys — so none can ever be printed, whatever an error says; and the
 * KMS caller's AccessKey id, so it is only ever printed masked.
 */
export function forgetConfiguredSecrets(
  layers: ConfigLayers,
  env: NodeJS.ProcessEnv,
  out: Redactor,
  config?: ManagedCredentialsConfig,
): void {
  const { reader } = layers;
  out.forget(reader.get('credentials_access_secret'));
  out.maskKeyId(reader.get('credentials_access_key_id'));
  const passwordVariable = reader.get('client_key_password_from_env_variable');
  if (passwordVariable) out.forget(env[passwordVariable]);
  const passwordFile = reader.get('client_key_password_from_file_path');
  if (passwordFile)
    out.forget(readQuietly(reader.resolvePath('client_key_password_from_file_path', passwordFile)));
  for (const entry of dedicatedEntries(reader.get('cache_client_dkms_config_info'))) {
    const fromEnv = entry['passwordFromEnvVariable'];
    if (typeof fromEnv === 'string') out.forget(env[fromEnv]);
    const fromFileName = entry['passwordFromFilePathName'];
    const fromFile =
      entry['passwordFromFilePath'] ?? (typeof fromFileName === 'string' ? env[fromFileName] : undefined);
    if (typeof fromFile === 'string') {
      out.forget(readQuietly(reader.resolvePath('cache_client_dkms_config_info', fromFile)));
    }
  }
  if (config?.auth?.type === 'client_key') out.forget(config.auth.clientKey.privateKeyPem);
  for (const gateway of config?.dedicatedGateways ?? []) out.forget(gateway.clientKey.privateKeyPem);
}

function dedicatedEntries(text: string | undefined): Record<string, unknown>[] {
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter(
          (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
        )
      : [];
  } catch {
    return [];
  }
}

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch {
    return undefined;
  }
}
