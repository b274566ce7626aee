import { resolve } from 'node:path';
import { defaultConfigFile } from './default-config-file.js';
import { CONFIG_FILE_ENV_VAR } from './keys.js';

/**
 * The properties file set in code. Module state on purpose (the reference
 * plug-ins have a global `setConfigName` too); `setConfigFilePath(undefined)`
 * resets it, so tests can restore the default.
 */
let configuredPath: string | undefined;

/**
 * Sets the properties file every later `loadConfig()` (and the default
 * provider, when it is next created) reads. A relative path is resolved
 * against the working directory now. Pass `undefined` to go back to the
 * default lookup.
 */
export function setConfigFilePath(path: string | undefined): void {
  configuredPath = path === undefined || path.trim() === '' ? undefined : resolve(path);
}

/** Where the properties file path came from. `default` means "not chosen by anyone", so it may be absent. */
export type ConfigFileChoice = 'option' | 'code' | 'env' | 'default';

/**
 * The properties file `loadConfig()` reads, in order of precedence:
 * `setConfigFilePath(...)`, then the `MANAGED_CREDENTIALS_CONFIG_FILE`
 * environment variable, then `managed_credentials_providers.properties` in the
 * working directory, or `secretsmanager.properties` there when only that one
 * exists (the Secrets Manager Client's file). Always an absolute path.
 */
export function resolveConfigFilePath(options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  return chooseConfigFile(options).path;
}

/** Like {@link resolveConfigFilePath}, also telling who chose the file. */
export function chooseConfigFile(options: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): {
  path: string;
  choice: ConfigFileChoice;
} {
  const cwd = options.cwd ?? process.cwd();
  if (options.file !== undefined && options.file.trim() !== '') {
    return { path: resolve(cwd, options.file), choice: 'option' };
  }
  if (configuredPath !== undefined) return { path: configuredPath, choice: 'code' };
  const fromEnv = (options.env ?? process.env)[CONFIG_FILE_ENV_VAR];
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return { path: resolve(cwd, fromEnv.trim()), choice: 'env' };
  return { path: defaultConfigFile(cwd), choice: 'default' };
}
