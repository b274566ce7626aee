// The configuration concept's public names; the package index re-exports what it chooses.
export { loadConfig, isValidatedConfig, type LoadConfigOptions } from './load-config.js';
export { resolveConfigFilePath, setConfigFilePath } from './config-file.js';
export { loadClientKey, LoadedClientKey, type ClientKeyContext } from './client-key.js';
export { CONFIG_ERROR_CODES } from './raw-config.js';
export {
  CONFIG_KEYS,
  CONFIG_FILE_ENV_VAR,
  DEFAULT_CONFIG_FILE_NAME,
  DEFAULT_REFRESH_SECRET_TTL_MS,
  MIN_REFRESH_SECRET_TTL_MS,
  DEFAULT_ROTATION_INTERVAL_MS,
  DEFAULT_DELAY_INTERVAL_MS,
  DEFAULT_METADATA_ENDPOINT,
  type ConfigKey,
} from './keys.js';
export * from './types.js';
