import { redactCredential } from './redact.js';
import type { AccessKeyPair } from './state/ram-secrets.js';

/** Options of `cloud.pluginConfig()`; every one has a default. */
export interface PluginConfigOptions {
  /** The region the fake KMS is listed under in `cache_client_region_id`. Default `'cn-hangzhou'`. */
  regionId?: string;
  /** The KMS caller key the plug-in signs with. Default: a fresh `cloud.createKmsAccessKey()`. */
  kmsKey?: AccessKeyPair;
  /** Written as `secret_names` (comma-separated) when given and not empty. Default: the key is left out. */
  secretNames?: readonly string[];
}

/**
 * The plug-in keys (as in `managed_credentials_providers.properties`, values
 * as strings) for `credentials_type=ak` against the KMS at `kmsEndpoint`.
 * An endpoint with a scheme and port is used as given by the plug-in: this is
 * how a local KMS is reached. `JSON.stringify`, `String()` and `util.inspect`
 * of the result hide the AccessKeySecret.
 */
export function akPluginConfig(
  kmsEndpoint: string,
  kmsKey: AccessKeyPair,
  options: Omit<PluginConfigOptions, 'kmsKey'> = {},
): Record<string, string> {
  const config: Record<string, string> = {
    credentials_type: 'ak',
    credentials_access_key_id: kmsKey.accessKeyId,
    credentials_access_secret: kmsKey.accessKeySecret,
    cache_client_region_id: JSON.stringify([
      { regionId: options.regionId ?? 'cn-hangzhou', endpoint: kmsEndpoint },
    ]),
  };
  if (options.secretNames?.length) config['secret_names'] = options.secretNames.join(',');
  return redactCredential(config, 'PluginConfig', { ...config, credentials_access_secret: '****' });
}

/**
 * `key=value` lines in `java.util.Properties` syntax, after a `#` comment
 * line: the text of a `managed_credentials_providers.properties` file.
 * Backslashes are doubled (a backslash starts an escape); `undefined` values
 * are left out. Keys are written as given, so they must be plain names.
 */
export function toProperties(
  config: Readonly<Record<string, string | undefined>>,
  comment = 'managed-credentials configuration',
): string {
  const lines = Object.entries(config)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${value.replaceAll('\\', '\\\\')}`);
  return `# ${comment}\n${lines.join('\n')}\n`;
}
