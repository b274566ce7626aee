import { newVersionId } from '../ids.js';
import type { SecretStore, SecretVersionView } from '../types.js';

export const ACS_CURRENT = 'ACSCurrent';
export const ACS_PREVIOUS = 'ACSPrevious';

/** Secret-level attributes (shared by all versions). */
export interface SecretMetadata {
  /** `RamCredentials`, `Generic`, `Rds`, `ECS` … */
  secretType: string;
  /** JSON text, e.g. `{"SecretSubType":"RamUserAccessKey",…}`. */
  extendedConfig?: string;
  /** e.g. `"86400s"`; its presence means automatic rotation is enabled. */
  rotationInterval?: string;
  /** ISO 8601 (`2026-11-24T17:00:00Z`). */
  nextRotationDate?: string;
  /** ISO 8601. */
  lastRotationDate?: string;
}

/** One stored version. */
export interface SecretVersionInput {
  secretData: string;
  secretDataType?: 'text' | 'binary';
  /** Default: a random UUID. */
  versionId?: string;
}

interface VersionRecord {
  readonly versionId: string;
  readonly secretData: string;
  readonly secretDataType: 'text' | 'binary';
  readonly createTime: string;
  stages: Set<string>;
}

interface SecretRecord {
  readonly name: string;
  readonly createTime: string;
  meta: SecretMetadata;
  versions: VersionRecord[];
}

/** Secrets with versions and stages, the way KMS Secrets Manager keeps them. */
export class SecretRegistry implements SecretStore {
  readonly #secrets = new Map<string, SecretRecord>();

  has(name: string): boolean {
    return this.#secrets.has(name);
  }

  /** Creates a secret whose first version holds `ACSCurrent`. */
  create(name: string, meta: SecretMetadata, first: SecretVersionInput, now = new Date()): SecretVersionView {
    if (this.#secrets.has(name)) throw new Error(`secret ${name} already exists`);
    this.#secrets.set(name, { name, createTime: isoSeconds(now), meta: { ...meta }, versions: [] });
    return this.putVersion(name, first, now);
  }

  /**
   * Adds a version that takes `ACSCurrent`; the version that held it becomes
   * `ACSPrevious` (and the former `ACSPrevious` loses that stage), as KMS does
   * on PutSecretValue and on rotation.
   */
  putVersion(name: string, input: SecretVersionInput, now = new Date()): SecretVersionView {
    const secret = this.#require(name);
    const versionId = input.versionId ?? newVersionId();
    if (secret.versions.some((v) => v.versionId === versionId)) {
      throw new Error(`secret ${name} already has version ${versionId}`);
    }
    for (const version of secret.versions) {
      version.stages.delete(ACS_PREVIOUS);
      if (version.stages.delete(ACS_CURRENT)) version.stages.add(ACS_PREVIOUS);
    }
    secret.versions.push({
      versionId,
      secretData: input.secretData,
      secretDataType: input.secretDataType ?? 'text',
      createTime: isoSeconds(now),
      stages: new Set([ACS_CURRENT]),
    });
    return this.getSecretValue(name, { versionId })!;
  }

  /** Changes secret-level attributes (rotation dates, extended config …). */
  updateMetadata(name: string, patch: Partial<SecretMetadata>): void {
    const secret = this.#require(name);
    secret.meta = { ...secret.meta, ...patch };
  }

  metadata(name: string): SecretMetadata | undefined {
    const secret = this.#secrets.get(name);
    return secret ? { ...secret.meta } : undefined;
  }

  getSecretValue(
    secretName: string,
    options: { versionStage?: string; versionId?: string } = {},
  ): SecretVersionView | undefined {
    const secret = this.#secrets.get(secretName);
    if (!secret) return undefined;
    const stage = options.versionStage ?? (options.versionId === undefined ? ACS_CURRENT : undefined);
    const version = secret.versions.find(
      (v) =>
        (options.versionId === undefined || v.versionId === options.versionId) &&
        (stage === undefined || v.stages.has(stage)),
    );
    if (!version) return undefined;
    const { meta } = secret;
    return {
      secretName,
      secretData: version.secretData,
      secretDataType: version.secretDataType,
      versionId: version.versionId,
      versionStages: [...version.stages],
      secretType: meta.secretType,
      ...(meta.extendedConfig !== undefined ? { extendedConfig: meta.extendedConfig } : {}),
      ...(meta.rotationInterval !== undefined ? { rotationInterval: meta.rotationInterval } : {}),
      ...(meta.nextRotationDate !== undefined ? { nextRotationDate: meta.nextRotationDate } : {}),
      ...(meta.lastRotationDate !== undefined ? { lastRotationDate: meta.lastRotationDate } : {}),
      createTime: version.createTime,
    };
  }

  #require(name: string): SecretRecord {
    const secret = this.#secrets.get(name);
    if (!secret) throw new Error(`secret ${name} does not exist`);
    return secret;
  }
}

/** `2026-11-23T17:42:13Z` — KMS dates carry no milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
