import { readFileSync } from 'node:fs';
import { ClientKeyError } from '../errors.js';
import { quoteConfigValue } from './quote-value.js';

/** Where a ClientKey password is: an env var holding it, or a file holding it. */
export type PasswordSource =
  | { kind: 'env'; variable: string }
  | {
      kind: 'file';
      path: string;
      /** Set when the path itself came from this env var (`passwordFromFilePathName`). */ viaVariable?: string;
    };

/**
 * Reads a ClientKey password. A file's trailing line break is dropped (files
 * written by `echo` end with one). Errors name the variable or file and the
 * configuration key, never the password.
 *
 * @param where e.g. `client_key_password_from_file_path` or `cache_client_dkms_config_info entry #0`
 * @param key the configuration key, recorded on the error
 */
export function readPassword(
  source: PasswordSource,
  env: NodeJS.ProcessEnv,
  where: string,
  key: string,
): string {
  if (source.kind === 'env') {
    const value = env[source.variable];
    if (value === undefined || value === '') {
      throw new ClientKeyError(
        `${where}: environment variable ${variableName(source.variable)}, which should hold the ClientKey password, is ${value === undefined ? 'not set' : 'empty'}.`,
        { key },
      );
    }
    return value;
  }
  let text: string;
  try {
    text = readFileSync(source.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const via =
      source.viaVariable === undefined
        ? ''
        : ` (named by environment variable ${variableName(source.viaVariable)})`;
    throw new ClientKeyError(
      `${where}: the ClientKey password file ${source.path}${via} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}.`,
      { key, file: source.path, cause: error },
    );
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '') {
    throw new ClientKeyError(`${where}: the ClientKey password file ${source.path} is empty.`, {
      key,
      file: source.path,
    });
  }
  return password;
}

/**
 * An environment variable name as a message may show it: a conventional name
 * (`CLIENT_KEY_PASSWORD`) as is; anything else masked — it may be the password
 * itself, pasted into the key that should name its variable.
 */
function variableName(name: string): string {
  return /^[A-Z_][A-Z0-9_]{0,63}$/.test(name) ? name : quoteConfigValue(name);
}
