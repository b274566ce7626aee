import { newAccessKeyId, newAccessKeySecret, newStsAccessKeyId, randomAlphanumeric } from '../ids.js';
import { redactCredential } from '../redact.js';
import type { RamAccessKey } from '../types.js';

/**
 * Who may use a key: `ram-user` keys live in RAM secrets and sign ECS/OSS
 * calls; `kms-caller` keys (plain AKs, STS keys from metadata) sign KMS calls.
 * Keeping them apart catches an adapter that signs business calls with the
 * KMS key or the other way round.
 */
export type AccessKeyScope = 'ram-user' | 'kms-caller';

/** A key as the emulator keeps it. */
export interface StoredAccessKey extends RamAccessKey {
  readonly scope: AccessKeyScope;
  /** For STS keys: epoch ms after which the key is expired. */
  readonly expiresAt?: number;
}

export interface NewAccessKeyOptions {
  /** Make an STS key (`STS.…` id plus a SecurityToken), expiring at `expiresAt`. */
  sts?: { expiresAt: number };
}

/** Looks up keys with their scope and expiry; satisfies `AccessKeyStore`. */
export interface StoredAccessKeyStore {
  get(accessKeyId: string): StoredAccessKey | undefined;
}

/** All AccessKeys of one fake cloud. */
export class AccessKeyRegistry {
  readonly #keys = new Map<string, StoredAccessKey>();

  create(scope: AccessKeyScope, options: NewAccessKeyOptions = {}): StoredAccessKey {
    const sts = options.sts;
    const key: StoredAccessKey = {
      accessKeyId: sts ? newStsAccessKeyId() : newAccessKeyId(),
      accessKeySecret: newAccessKeySecret(),
      revoked: false,
      scope,
      ...(sts ? { securityToken: `CAIS${randomAlphanumeric(120)}`, expiresAt: sts.expiresAt } : {}),
    };
    this.#keys.set(key.accessKeyId, key);
    return redactCredential(key, 'AccessKey', { accessKeyId: key.accessKeyId, scope });
  }

  get(accessKeyId: string): StoredAccessKey | undefined {
    return this.#keys.get(accessKeyId);
  }

  /** Marks a key revoked; returns false for an unknown id. */
  revoke(accessKeyId: string): boolean {
    const key = this.#keys.get(accessKeyId);
    if (!key) return false;
    key.revoked = true;
    return true;
  }

  /** A read view holding only keys of the given scopes (what a service accepts); it is an `AccessKeyStore`. */
  view(...scopes: AccessKeyScope[]): StoredAccessKeyStore {
    return {
      get: (id) => {
        const key = this.#keys.get(id);
        return key && scopes.includes(key.scope) ? key : undefined;
      },
    };
  }
}
