import { redactCredential } from '../redact.js';
import type { SecretVersionView } from '../types.js';
import type { AccessKeyRegistry, StoredAccessKey } from './access-keys.js';
import { isoSeconds, type SecretRegistry } from './secrets.js';

/** Options of `createRamSecret`. Every field has a realistic default. */
export interface RamSecretOptions {
  /** Default `"86400s"`; `null` = automatic rotation disabled (no RotationInterval, no NextRotationDate). */
  rotationInterval?: string | null;
  /** Default: creation time + rotation interval; `null` = none. */
  nextRotationDate?: string | Date | null;
  /** Default `RamCredentials`. */
  secretType?: string;
  /** Default `{"SecretSubType":"RamUserAccessKey","UserName":"<name>-user","CustomData":{}}`; `null` = none. */
  extendedConfig?: string | Record<string, unknown> | null;
  /**
   * Raw SecretData instead of the generated key pair JSON (for malformed-secret
   * tests). No AccessKey is made then and `currentAccessKey` answers undefined.
   */
  secretData?: string;
  versionId?: string;
}

/** The id/secret pair a RAM secret currently holds (redacted in logs). */
export interface AccessKeyPair {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

export interface RamSecretVersion {
  readonly secretName: string;
  readonly versionId: string;
  /** The new pair; undefined when a raw `secretData` was stored. */
  readonly accessKey: AccessKeyPair | undefined;
  /** What GetSecretValue answers now. */
  readonly view: SecretVersionView;
}

export interface RotationResult extends RamSecretVersion {
  readonly accessKey: AccessKeyPair;
  /** The key that lost `ACSCurrent` (revoked per `revokeOld`). */
  readonly previousAccessKeyId: string | undefined;
}

/** RAM secrets: the AccessKey each one holds, and rotation. */
export class RamSecrets {
  readonly #current = new Map<string, StoredAccessKey>();

  constructor(
    private readonly keys: AccessKeyRegistry,
    private readonly secrets: SecretRegistry,
  ) {}

  create(name: string, options: RamSecretOptions = {}, now = new Date()): RamSecretVersion {
    const rotationInterval = options.rotationInterval === undefined ? '86400s' : options.rotationInterval;
    const key = options.secretData === undefined ? this.keys.create('ram-user') : undefined;
    const extended =
      options.extendedConfig === undefined
        ? { SecretSubType: 'RamUserAccessKey', UserName: `${name}-user`, CustomData: {} }
        : options.extendedConfig;
    const next =
      options.nextRotationDate === undefined
        ? defaultNextRotation(rotationInterval, now)
        : options.nextRotationDate;
    const view = this.secrets.create(
      name,
      {
        secretType: options.secretType ?? 'RamCredentials',
        ...(extended !== null
          ? { extendedConfig: typeof extended === 'string' ? extended : JSON.stringify(extended) }
          : {}),
        ...(rotationInterval !== null ? { rotationInterval } : {}),
        ...(next !== null && next !== undefined
          ? { nextRotationDate: typeof next === 'string' ? next : isoSeconds(next) }
          : {}),
      },
      {
        secretData: options.secretData ?? secretDataOf(key!, now),
        ...(options.versionId !== undefined ? { versionId: options.versionId } : {}),
      },
      now,
    );
    if (key) this.#current.set(name, key);
    return { secretName: name, versionId: view.versionId, accessKey: key && pairOf(key), view };
  }

  /** Stores a new pair as `ACSCurrent` (old version → `ACSPrevious`) and moves the rotation dates. */
  rotate(name: string, now = new Date()): RotationResult & { previous: StoredAccessKey | undefined } {
    if (!this.secrets.has(name)) throw new Error(`secret ${name} does not exist`);
    const previous = this.#current.get(name);
    const key = this.keys.create('ram-user');
    const view = this.secrets.putVersion(name, { secretData: secretDataOf(key, now) }, now);
    const meta = this.secrets.metadata(name);
    const next = defaultNextRotation(meta?.rotationInterval ?? null, now);
    this.secrets.updateMetadata(name, {
      lastRotationDate: isoSeconds(now),
      ...(next !== undefined ? { nextRotationDate: isoSeconds(next) } : {}),
    });
    this.#current.set(name, key);
    return {
      secretName: name,
      versionId: view.versionId,
      accessKey: pairOf(key),
      view: this.secrets.getSecretValue(name, { versionId: view.versionId })!,
      previousAccessKeyId: previous?.accessKeyId,
      previous,
    };
  }

  current(name: string): AccessKeyPair | undefined {
    const key = this.#current.get(name);
    return key && pairOf(key);
  }
}

/** `{"AccessKeyId","AccessKeySecret","GenerateTimestamp"}`, the value of a managed RAM secret. */
function secretDataOf(key: StoredAccessKey, now: Date): string {
  return JSON.stringify({
    AccessKeyId: key.accessKeyId,
    AccessKeySecret: key.accessKeySecret,
    GenerateTimestamp: isoSeconds(now),
  });
}

function defaultNextRotation(rotationInterval: string | null, now: Date): Date | undefined {
  if (rotationInterval === null) return undefined;
  const seconds = /^(\d+)s$/.exec(rotationInterval)?.[1];
  return seconds === undefined ? undefined : new Date(now.getTime() + Number(seconds) * 1000);
}

function pairOf(key: StoredAccessKey): AccessKeyPair {
  const pair = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
  return redactCredential(pair, 'AccessKey', { accessKeyId: key.accessKeyId });
}
