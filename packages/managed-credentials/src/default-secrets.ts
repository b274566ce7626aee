import { getDefaultProvider } from './default-provider.js';
import type { SecretValueInfo } from './secret/secret-value-info.js';

/**
 * A secret of any type from the default provider (built from the properties
 * file on first use): `getDefaultProvider().getSecretInfo(secretName, options)`.
 * The Secrets Manager Client's `getSecretInfo`.
 *
 * @throws ConfigError (as a rejection) when the configuration is missing or invalid.
 */
export async function getSecretInfo(
  secretName: string,
  options: { signal?: AbortSignal } = {},
): Promise<SecretValueInfo> {
  return getDefaultProvider().getSecretInfo(secretName, options);
}

/**
 * The value of a secret of any type from the default provider, as KMS returns
 * it (base64 for a binary secret): `getDefaultProvider().getSecretValue(secretName, options)`.
 *
 * @throws ConfigError (as a rejection) when the configuration is missing or invalid.
 */
export async function getSecretValue(
  secretName: string,
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  return getDefaultProvider().getSecretValue(secretName, options);
}
