/** Every configuration key this library reads, as written in the properties file and the environment. */
export const CONFIG_KEYS = [
  'credentials_type',
  'credentials_role_name',
  'credentials_metadata_endpoint',
  'credentials_access_key_id',
  'credentials_access_secret',
  'credentials_role_arn',
  'credentials_role_session_name',
  'credentials_oidc_provider_arn',
  'credentials_oidc_token_file_path',
  'client_key_private_key_path',
  'client_key_password_from_env_variable',
  'client_key_password_from_file_path',
  'cache_client_region_id',
  'cache_client_dkms_config_info',
  'refresh_secret_ttl',
  'rotation_interval',
  'delay_interval',
  'fleet_size',
  'secret_names',
  'kms_request_timeout_ms',
  'kms_connect_timeout_ms',
  'kms_ca_file_path',
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Default name of the properties file, looked up in the working directory. */
export const DEFAULT_CONFIG_FILE_NAME = 'managed_credentials_providers.properties';

/** Environment variable naming another properties file. */
export const CONFIG_FILE_ENV_VAR = 'MANAGED_CREDENTIALS_CONFIG_FILE';

/** Defaults of the durations, ms. */
export const DEFAULT_REFRESH_SECRET_TTL_MS = 6 * 3600_000;
export const MIN_REFRESH_SECRET_TTL_MS = 5 * 60_000;
export const DEFAULT_ROTATION_INTERVAL_MS = 6 * 3600_000;
export const MIN_ROTATION_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_DELAY_INTERVAL_MS = 5 * 60_000;

/** Default instance metadata service of ECS. */
export const DEFAULT_METADATA_ENDPOINT = 'http://100.100.100.200';
