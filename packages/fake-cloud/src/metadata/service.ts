import type { AccessKeyRegistry, StoredAccessKey } from '../state/access-keys.js';
import { redirectProvider } from '../redirect.js';
import type { ServiceHandler } from '../types.js';
import { createMetadataHandler, type RoleCredentials } from './handler.js';

/** Reissue role credentials when less than this is left, like the real metadata server does ahead of expiry. */
const REISSUE_BEFORE_EXPIRY_MS = 30 * 60_000;

/** Test controls of the ECS metadata server. */
export interface MetadataControl {
  /** Attaches a RAM role to the fake instance (`null` detaches: the role list answers 404). */
  setRole(name: string | null): void;
  /** Refuse GETs without a valid IMDSv2 token (like an instance with IMDSv1 disabled). Default false. */
  requireToken(on: boolean): void;
  /** The STS credentials now handed out for the attached role (issued if none yet). */
  currentCredentials(): RoleCredentials | undefined;
  /** Issues new STS credentials for the role now; the old ones stay valid until they expire or are revoked. */
  rotateCredentials(): RoleCredentials | undefined;
  /**
   * Points an `@alicloud/credentials` ECS RAM role provider (which hard-codes
   * 100.100.100.200) at this server by wrapping its `doRequest`; returns it.
   */
  redirect<P extends object>(provider: P): P;
}

/** State behind the metadata endpoint: attached role and its STS key (a KMS caller key). */
export class MetadataService {
  #roleName: string | null;
  #requireToken = false;
  #credentials: { role: string; key: StoredAccessKey; issuedAt: number } | undefined;

  constructor(
    private readonly keys: AccessKeyRegistry,
    private readonly options: { roleName: string | null; stsTtlMs: number },
  ) {
    this.#roleName = options.roleName;
  }

  handler(): ServiceHandler {
    return createMetadataHandler({
      roleName: () => this.#roleName ?? undefined,
      credentials: (role) => this.#issue(role, false),
      requireToken: () => this.#requireToken,
    });
  }

  control(endpoint: () => string): MetadataControl {
    return {
      setRole: (name) => {
        this.#roleName = name;
      },
      requireToken: (on) => {
        this.#requireToken = on;
      },
      currentCredentials: () => (this.#roleName ? this.#issue(this.#roleName, false) : undefined),
      rotateCredentials: () => (this.#roleName ? this.#issue(this.#roleName, true) : undefined),
      redirect: (provider) => redirectProvider(provider, endpoint),
    };
  }

  #issue(role: string, force: boolean): RoleCredentials {
    const now = Date.now();
    const held = this.#credentials;
    const fresh =
      held &&
      held.role === role &&
      !held.key.revoked &&
      (held.key.expiresAt ?? 0) - now > REISSUE_BEFORE_EXPIRY_MS;
    if (!fresh || force) {
      const key = this.keys.create('kms-caller', { sts: { expiresAt: now + this.options.stsTtlMs } });
      this.#credentials = { role, key, issuedAt: now };
    }
    const { key, issuedAt } = this.#credentials!;
    return {
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      securityToken: key.securityToken!,
      expiresAt: key.expiresAt!,
      issuedAt,
    };
  }
}
