import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import type * as PropertiesFile from 'properties-file';
import { ConfigError, type ConfigOrigin } from '../errors.js';
import { CONFIG_KEYS, type ConfigKey } from './keys.js';
import type { RawConfig } from './types.js';

/** Error codes of configuration errors (ClientKey problems use `MC_CLIENT_KEY_INVALID`). */
export const CONFIG_ERROR_CODES = {
  /** No properties file and no configuration key anywhere, or an explicitly named file is missing. */
  notFound: 'MC_CONFIG_NOT_FOUND',
  /** A required key is absent. */
  missing: 'MC_CONFIG_MISSING',
  /** A value is malformed, out of range or contradicts another. */
  invalid: 'MC_CONFIG_INVALID',
} as const;

/**
 * The merged key/values of every layer, with where each came from. Gives the
 * validators one way to read a key and to fail naming it.
 */
export class RawConfigReader {
  readonly #values = new Map<ConfigKey, string>();
  readonly #origins = new Map<ConfigKey, ConfigOrigin>();
  /** The properties file that was read, if one was. */
  readonly file: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Keys found in the file or the object that this library does not know (typos). */
  readonly unknownKeys: string[];

  constructor(layers: {
    file?: { path: string; values: Record<string, string> };
    env: NodeJS.ProcessEnv;
    object?: RawConfig;
    cwd: string;
  }) {
    this.file = layers.file?.path;
    this.env = layers.env;
    this.cwd = layers.cwd;
    const known = new Set<string>(CONFIG_KEYS);
    this.unknownKeys = [
      ...Object.keys(layers.file?.values ?? {}),
      ...Object.keys(layers.object ?? {}),
    ].filter((key) => !known.has(key));
    for (const key of CONFIG_KEYS) {
      this.#take(key, layers.file?.values[key], 'file');
      this.#take(key, layers.env[key], 'env');
      this.#take(key, layers.object?.[key], 'object');
    }
  }

  #take(key: ConfigKey, raw: unknown, origin: ConfigOrigin): void {
    // Plain JavaScript callers may pass numbers, booleans or ready-made arrays; take them as their text.
    const value =
      typeof raw === 'number' || typeof raw === 'boolean'
        ? String(raw)
        : raw !== null && typeof raw === 'object'
          ? JSON.stringify(raw)
          : raw;
    // An empty value counts as unset, so `export credentials_type=` does not hide the file's value.
    if (typeof value !== 'string' || value.trim() === '') return;
    this.#values.set(key, value.trim());
    this.#origins.set(key, origin);
  }

  /** The trimmed value of `key`, or undefined when no layer sets it (or sets it empty). */
  get(key: ConfigKey): string | undefined {
    return this.#values.get(key);
  }

  has(key: ConfigKey): boolean {
    return this.#values.has(key);
  }

  get size(): number {
    return this.#values.size;
  }

  /** Where each present key came from. */
  origins(): Record<string, ConfigOrigin> {
    return Object.fromEntries(this.#origins);
  }

  /** "in <file>", "in environment variable <key>" or "in the configuration object", for messages. */
  where(key: ConfigKey): string {
    const origin = this.#origins.get(key);
    if (origin === 'env') return `environment variable ${key}`;
    if (origin === 'object') return 'the configuration object';
    if (origin === 'file') return this.file ?? 'the properties file';
    return this.file === undefined ? 'the environment' : `${this.file} or the environment`;
  }

  /**
   * Resolves a path given by `key`. Relative paths are taken relative to the
   * properties file's folder when the key came from that file, otherwise
   * relative to the working directory.
   */
  resolvePath(key: ConfigKey, path: string): string {
    if (isAbsolute(path)) return path;
    const base = this.#origins.get(key) === 'file' && this.file !== undefined ? dirname(this.file) : this.cwd;
    return resolve(base, path);
  }

  /** A ConfigError naming `key` and where it was (not) found. */
  error(key: ConfigKey, problem: string, code: string = CONFIG_ERROR_CODES.invalid): ConfigError {
    return new ConfigError(`Configuration key ${key} (${this.where(key)}): ${problem}`, {
      key,
      file: this.file,
      code,
    });
  }

  /** The value of a required key. */
  require(key: ConfigKey, why: string): string {
    const value = this.get(key);
    if (value === undefined)
      throw this.error(key, `is required ${why} but is not set.`, CONFIG_ERROR_CODES.missing);
    return value;
  }
}

/**
 * Reads a `.properties` file with the `properties-file` package (Java
 * `java.util.Properties` syntax: `#`/`!` comments, `=`/`:` separators,
 * `\` continuations and escapes — so write Windows paths with `/` or `\\`).
 * Returns undefined when the file does not exist.
 */
export function readPropertiesFile(path: string): Record<string, string> | undefined {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`Cannot read the configuration file ${path}: ${(error as Error).message}`, {
      file: path,
      code: CONFIG_ERROR_CODES.notFound,
      cause: error,
    });
  }
  return loadPropertiesFile().getProperties(content);
}

/**
 * `properties-file`, loaded when a properties file is first read: an app
 * configured in code or by environment variables never pays its import
 * (~2 ms, issue 14). Synchronous, because configuration loading is. In the
 * CommonJS build `require` is the module's own, a plain `require()` call that
 * bundlers see and include; the ESM sources (tests) have none.
 */
let propertiesFile: typeof PropertiesFile | undefined;
function loadPropertiesFile(): typeof PropertiesFile {
  propertiesFile ??= (
    typeof require === 'function'
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: a literal require for bundlers
        require('properties-file')
      : createRequire(import.meta.url)('properties-file')
  ) as typeof PropertiesFile;
  return propertiesFile;
}
