import { ConfigError } from '../errors.js';
import { readAuth } from './auth.js';
import { chooseConfigFile } from './config-file.js';
import { readDedicatedGateways } from './dedicated-gateways.js';
import {
  DEFAULT_DELAY_INTERVAL_MS,
  DEFAULT_REFRESH_SECRET_TTL_MS,
  DEFAULT_ROTATION_INTERVAL_MS,
  MIN_REFRESH_SECRET_TTL_MS,
  MIN_ROTATION_INTERVAL_MS,
} from './keys.js';
import { CONFIG_ERROR_CODES, RawConfigReader, readPropertiesFile } from './raw-config.js';
import { readKmsNetwork } from './network.js';
import { readRegions } from './regions.js';
import type { ManagedCredentialsConfig, RawConfig } from './types.js';
import { readDurationMs, readWholeNumber } from './values.js';

export interface LoadConfigOptions {
  /**
   * The properties file. Default: `setConfigFilePath(...)`, else the
   * `MANAGED_CREDENTIALS_CONFIG_FILE` env var, else
   * `managed_credentials_providers.properties` in `cwd` (or, when only that
   * exists, the Secrets Manager Client's `secretsmanager.properties`). A file
   * named explicitly (any of these but the last) must exist.
   */
  file?: string;
  /** Environment variables; keys with the configuration key names override the file. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Key/values given in code; they override the environment, which overrides
   * the file. With an object, no file is read unless `file` is also given.
   */
  object?: RawConfig;
  /** Base of relative paths when no file is involved. Default `process.cwd()`. */
  cwd?: string;
}

/**
 * Reads, overlays and validates the configuration (synchronously: it runs
 * once at start, and a broken configuration should fail right there).
 * Layers, lowest first: properties file, environment variables with the same
 * key names, `object`. Each key is taken whole from the highest layer that
 * sets it to a non-empty value; `origin.keys` tells which layer that was.
 *
 * @throws ConfigError (code `MC_CONFIG_NOT_FOUND`, `MC_CONFIG_MISSING` or
 *   `MC_CONFIG_INVALID`) or ClientKeyError (`MC_CLIENT_KEY_INVALID`), naming
 *   the key and the file; never a secret, password or private key.
 */
export function loadConfig(options: LoadConfigOptions = {}): ManagedCredentialsConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  let fileLayer: { path: string; values: Record<string, string> } | undefined;
  let lookedFor: string | undefined;
  if (options.object === undefined || options.file !== undefined) {
    const { path, choice } = chooseConfigFile({ file: options.file, env, cwd });
    lookedFor = path;
    const values = readPropertiesFile(path);
    if (values === undefined && choice !== 'default') {
      const by = {
        option: 'the file option',
        code: 'setConfigFilePath()',
        env: 'MANAGED_CREDENTIALS_CONFIG_FILE',
      }[choice];
      throw new ConfigError(`The configuration file ${path} (set by ${by}) does not exist.`, {
        file: path,
        code: CONFIG_ERROR_CODES.notFound,
      });
    }
    if (values !== undefined) fileLayer = { path, values };
  }
  const config = new RawConfigReader({ file: fileLayer, env, object: options.object, cwd });
  if (config.size === 0) {
    const looked =
      lookedFor === undefined
        ? 'The configuration object'
        : `The configuration file ${lookedFor} does not exist and the environment`;
    throw new ConfigError(
      `${looked} sets no managed-credentials key (e.g. credentials_type, cache_client_region_id).`,
      {
        file: lookedFor,
        code: CONFIG_ERROR_CODES.notFound,
      },
    );
  }
  return validate(config);
}

function validate(config: RawConfigReader): ManagedCredentialsConfig {
  const usesDedicatedGateway = config.has('cache_client_dkms_config_info');
  if (!usesDedicatedGateway && !config.has('credentials_type')) {
    throw config.error(
      'credentials_type',
      'is required (or configure cache_client_dkms_config_info for KMS instances).',
      CONFIG_ERROR_CODES.missing,
    );
  }
  const auth = readAuth(config);
  const regions = readRegions(config);
  if (!usesDedicatedGateway && regions.length === 0) {
    throw config.error(
      'cache_client_region_id',
      'is required: list the KMS regions, e.g. [{"regionId":"cn-hangzhou"}] (or configure cache_client_dkms_config_info).',
      CONFIG_ERROR_CODES.missing,
    );
  }
  const dedicatedGateways = readDedicatedGateways(config);
  return {
    auth,
    regions,
    dedicatedGateways,
    refreshSecretTtlMs: readDurationMs(
      config,
      'refresh_secret_ttl',
      DEFAULT_REFRESH_SECRET_TTL_MS,
      MIN_REFRESH_SECRET_TTL_MS,
    ),
    rotationIntervalMs: readDurationMs(
      config,
      'rotation_interval',
      DEFAULT_ROTATION_INTERVAL_MS,
      MIN_ROTATION_INTERVAL_MS,
    ),
    delayIntervalMs: readDurationMs(config, 'delay_interval', DEFAULT_DELAY_INTERVAL_MS, 0),
    fleetSize: readWholeNumber(config, 'fleet_size', 1, 1),
    secretNames: readSecretNames(config.get('secret_names')),
    ...readKmsNetwork(config),
    origin: { file: config.file, keys: config.origins(), unknownKeys: config.unknownKeys },
  };
}

function readSecretNames(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [
    ...new Set(
      text
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ];
}

/** Tells a validated config from raw key/values (both are accepted by the provider). */
export function isValidatedConfig(
  value: ManagedCredentialsConfig | RawConfig,
): value is ManagedCredentialsConfig {
  const candidate = value as Partial<ManagedCredentialsConfig>;
  return (
    Array.isArray(candidate.regions) &&
    Array.isArray(candidate.dedicatedGateways) &&
    typeof candidate.origin === 'object'
  );
}
