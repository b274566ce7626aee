import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE_NAME } from './keys.js';

/**
 * The Secrets Manager Client's properties file (same keys as ours), read when ours is absent, so an
 * application moving from that client keeps its file.
 */
export const SECRETS_MANAGER_CONFIG_FILE_NAME = 'secretsmanager.properties';

/**
 * The properties file looked up in `cwd` when nobody chose one:
 * `managed_credentials_providers.properties`, or — only when that file does not exist and it does —
 * `secretsmanager.properties`. Always an absolute path (of our file when neither exists).
 */
export function defaultConfigFile(cwd: string): string {
  const own = resolve(cwd, DEFAULT_CONFIG_FILE_NAME);
  if (existsSync(own)) return own;
  const secretsManager = resolve(cwd, SECRETS_MANAGER_CONFIG_FILE_NAME);
  return existsSync(secretsManager) ? secretsManager : own;
}
