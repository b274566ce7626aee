import { inspect } from 'node:util';

const REDACTED = '<redacted>';

/**
 * One frozen AccessKey as fetched from KMS. A request signs with exactly one
 * snapshot, so it can never pair a key id of one generation with a secret of
 * another. The secret is kept in a private field: `JSON.stringify`,
 * `util.inspect`, `toString` and object spread never reveal it.
 */
export class AccessKeySnapshot {
  readonly secretName: string;
  readonly accessKeyId: string;
  /** Increases by one each time a different key (or version) is fetched for this secret. */
  readonly generation: number;
  /** Wall-clock time of the fetch, ms since the epoch. */
  readonly fetchedAt: number;
  /** KMS `VersionId` of the secret version the key came from. */
  readonly versionId: string;
  readonly #accessKeySecret: string;

  constructor(fields: {
    secretName: string;
    accessKeyId: string;
    accessKeySecret: string;
    generation: number;
    fetchedAt: number;
    versionId: string;
  }) {
    this.secretName = fields.secretName;
    this.accessKeyId = fields.accessKeyId;
    this.#accessKeySecret = fields.accessKeySecret;
    this.generation = fields.generation;
    this.fetchedAt = fields.fetchedAt;
    this.versionId = fields.versionId;
    Object.freeze(this);
  }

  get accessKeySecret(): string {
    return this.#accessKeySecret;
  }

  toJSON(): Record<string, unknown> {
    return {
      secretName: this.secretName,
      accessKeyId: this.accessKeyId,
      accessKeySecret: REDACTED,
      generation: this.generation,
      fetchedAt: this.fetchedAt,
      versionId: this.versionId,
    };
  }

  toString(): string {
    return `AccessKeySnapshot(${this.secretName}#${this.generation}, ${this.accessKeyId})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
