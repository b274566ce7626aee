import { randomBytes } from 'node:crypto';
import { randomAlphanumeric } from '../ids.js';
import type { SecretVersionView } from '../types.js';
import { isoSeconds, type SecretRegistry, type SecretVersionInput } from './secrets.js';

/**
 * A secret value: text as is, a JSON object (stored as its JSON text, e.g.
 * `{"AccountName":"app","AccountPassword":"…"}`), or bytes (a binary secret:
 * KMS stores and answers them as base64).
 */
export type SecretValueInput = string | Record<string, unknown> | Uint8Array;

/** Options of `createSecret`. */
export interface SecretOptions {
  /** Default `Generic`; also `Rds`, `Redis`, `PolarDB`, `ECS` … */
  secretType?: string;
  /** Object or JSON text; default none (generic secrets have none). */
  extendedConfig?: string | Record<string, unknown>;
  /** e.g. `"604800s"`; its presence means automatic rotation is enabled. Default none. */
  rotationInterval?: string;
  /** Default: creation time + `rotationInterval` when one is set. */
  nextRotationDate?: string | Date;
  versionId?: string;
}

/** Options of `createRdsSecret`: a database account's credentials as the RDS secret type stores them. */
export interface RdsSecretOptions {
  /** Default `app`. */
  accountName?: string;
  /** Default: a random 20-character password. */
  accountPassword?: string;
  /** Default `rm-fakecloud<random>`. */
  dbInstanceId?: string;
  /** Default `"604800s"` (7 days); `null` = automatic rotation disabled. */
  rotationInterval?: string | null;
}

/** Secrets of every type other than RAM AccessKeys (those are `RamSecrets`), and rotation of any value. */
export class GenericSecrets {
  constructor(private readonly secrets: SecretRegistry) {}

  create(
    name: string,
    value: SecretValueInput,
    options: SecretOptions = {},
    now = new Date(),
  ): SecretVersionView {
    const { rotationInterval } = options;
    const next = options.nextRotationDate ?? nextRotation(rotationInterval, now);
    const extended = options.extendedConfig;
    return this.secrets.create(
      name,
      {
        secretType: options.secretType ?? 'Generic',
        ...(extended !== undefined
          ? { extendedConfig: typeof extended === 'string' ? extended : JSON.stringify(extended) }
          : {}),
        ...(rotationInterval !== undefined ? { rotationInterval } : {}),
        ...(next !== undefined
          ? { nextRotationDate: typeof next === 'string' ? next : isoSeconds(next) }
          : {}),
      },
      { ...versionOf(value), ...(options.versionId !== undefined ? { versionId: options.versionId } : {}) },
      now,
    );
  }

  createRds(name: string, options: RdsSecretOptions = {}, now = new Date()): SecretVersionView {
    const rotationInterval = options.rotationInterval === undefined ? '604800s' : options.rotationInterval;
    return this.create(
      name,
      {
        AccountName: options.accountName ?? 'app',
        AccountPassword: options.accountPassword ?? newPassword(),
      },
      {
        secretType: 'Rds',
        extendedConfig: {
          SecretSubType: 'SingleUser',
          DBInstanceId: options.dbInstanceId ?? `rm-fakecloud${randomAlphanumeric(8).toLowerCase()}`,
          CustomData: {},
        },
        ...(rotationInterval !== null ? { rotationInterval } : {}),
      },
      now,
    );
  }

  /**
   * A new version holding `ACSCurrent` (the old one becomes `ACSPrevious`) and the rotation dates moved, as
   * a rotation does. Without `value`, one is made: a JSON value with `AccountPassword` gets a new password,
   * a binary value new random bytes, any other text a new random text.
   */
  rotate(name: string, options: { value?: SecretValueInput } = {}, now = new Date()): SecretVersionView {
    const current = this.secrets.getSecretValue(name);
    if (!current) throw new Error(`secret ${name} does not exist`);
    const view = this.secrets.putVersion(
      name,
      options.value === undefined ? rotatedValue(current) : versionOf(options.value),
      now,
    );
    const next = nextRotation(this.secrets.metadata(name)?.rotationInterval, now);
    this.secrets.updateMetadata(name, {
      lastRotationDate: isoSeconds(now),
      ...(next !== undefined ? { nextRotationDate: isoSeconds(next) } : {}),
    });
    return this.secrets.getSecretValue(name, { versionId: view.versionId })!;
  }
}

function versionOf(value: SecretValueInput): SecretVersionInput {
  if (typeof value === 'string') return { secretData: value, secretDataType: 'text' };
  if (value instanceof Uint8Array) {
    return { secretData: Buffer.from(value).toString('base64'), secretDataType: 'binary' };
  }
  return { secretData: JSON.stringify(value), secretDataType: 'text' };
}

function rotatedValue(current: SecretVersionView): SecretVersionInput {
  if (current.secretDataType === 'binary') return versionOf(randomBytes(32));
  const json = parseObject(current.secretData);
  if (json && typeof json['AccountPassword'] === 'string') {
    return versionOf({ ...json, AccountPassword: newPassword() });
  }
  return versionOf(`rotated-${randomAlphanumeric(24)}`);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    // Not JSON: rotated as plain text.
    return undefined;
  }
}

/** 20 letters and digits with a symbol, as RDS accepts. */
function newPassword(): string {
  return `${randomAlphanumeric(19)}!`;
}

function nextRotation(rotationInterval: string | undefined, now: Date): Date | undefined {
  const seconds = rotationInterval === undefined ? undefined : /^(\d+)s$/.exec(rotationInterval)?.[1];
  return seconds === undefined ? undefined : new Date(now.getTime() + Number(seconds) * 1000);
}
