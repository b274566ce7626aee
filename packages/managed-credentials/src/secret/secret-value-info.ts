import { inspect } from 'node:util';
import type { SecretInfo } from '../kms/types.js';

const REDACTED = '<redacted>';

/** How KMS stores a secret's value: text as is, binary as base64 text. */
export type SecretDataType = 'text' | 'binary';

/**
 * One version of a secret of any type (generic, RDS, Redis/Tair, PolarDB,
 * ECS, RAM) as the provider's cache holds it — the Secrets Manager Client's
 * `SecretInfo`. Frozen: a refresh replaces the object, it never changes one
 * already handed out.
 *
 * The value is kept in a private field and read through {@link secretValue}
 * and {@link secretBytes}; `JSON.stringify`, `util.inspect`, `String()` and
 * object spread never show it.
 */
export class SecretValueInfo {
  readonly secretName: string;
  /** KMS `VersionId` of this version. */
  readonly versionId: string;
  /** `SecretType` as KMS sends it: `Generic`, `Rds`, `Redis`, `PolarDB`, `ECS`, `RamCredentials` … */
  readonly secretType: string | undefined;
  /** `text`, or `binary` (then {@link secretValue} is base64 and {@link secretBytes} the decoded bytes). */
  readonly secretDataType: SecretDataType;
  /** Stages of this version, e.g. `['ACSCurrent']`. */
  readonly versionStages: readonly string[];
  /** `CreateTime` of the version as KMS writes it (ISO 8601). */
  readonly createTime: string | undefined;
  /** Parsed `ExtendedConfig` (e.g. `{ SecretSubType: 'SingleUser', DBInstanceId: … }`), when KMS sends one. */
  readonly extendedConfig?: Readonly<Record<string, unknown>>;
  /** `Enabled` or `Disabled`, when KMS sends it (not for generic secrets). */
  readonly automaticRotation?: string;
  /** As KMS writes it, e.g. `"86400s"`, when automatic rotation is on. */
  readonly rotationInterval?: string;
  /** ISO date of the next automatic rotation, when KMS sends one. */
  readonly nextRotationDate?: string;
  readonly #secretValue: string;

  constructor(info: SecretInfo) {
    this.secretName = info.secretName;
    this.versionId = info.versionId;
    this.secretType = info.secretType;
    this.secretDataType = info.secretDataType.toLowerCase() === 'binary' ? 'binary' : 'text';
    this.versionStages = Object.freeze([...info.versionStages]);
    this.createTime = info.createTime;
    if (info.extendedConfig !== undefined)
      this.extendedConfig = deepFreeze(structuredClone(info.extendedConfig));
    if (info.automaticRotation !== undefined) this.automaticRotation = info.automaticRotation;
    if (info.rotationInterval !== undefined) this.rotationInterval = info.rotationInterval;
    if (info.nextRotationDate !== undefined) this.nextRotationDate = info.nextRotationDate;
    this.#secretValue = info.secretData;
    Object.freeze(this);
  }

  /** The value as KMS returns it: the text, or for a binary secret its base64 form. Never log it. */
  get secretValue(): string {
    return this.#secretValue;
  }

  /**
   * The value as bytes: UTF-8 of a text value, the decoded bytes of a binary one. A new copy on each
   * read, so nobody can change the cached value through it.
   */
  get secretBytes(): Buffer {
    return Buffer.from(this.#secretValue, this.secretDataType === 'binary' ? 'base64' : 'utf8');
  }

  /** Whether `other` holds another version or another value than this one. */
  differsFrom(other: SecretValueInfo): boolean {
    return (
      other.versionId !== this.versionId ||
      other.secretDataType !== this.secretDataType ||
      other.#secretValue !== this.#secretValue
    );
  }

  toJSON(): Record<string, unknown> {
    return {
      secretName: this.secretName,
      versionId: this.versionId,
      secretType: this.secretType,
      secretDataType: this.secretDataType,
      secretValue: REDACTED,
      versionStages: this.versionStages,
      createTime: this.createTime,
      extendedConfig: this.extendedConfig,
      automaticRotation: this.automaticRotation,
      rotationInterval: this.rotationInterval,
      nextRotationDate: this.nextRotationDate,
    };
  }

  toString(): string {
    return `SecretValueInfo(${this.secretName}@${this.versionId}, ${this.secretType ?? 'unknown type'}, ${this.secretDataType})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
