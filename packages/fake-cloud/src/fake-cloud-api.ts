import type { ClientKeyMaterial, GenerateClientKeyOptions } from './client-key.js';
import type { RequestCounters } from './counters.js';
import type { ServiceFaults } from './faults.js';
import type { MetadataControl } from './metadata/service.js';
import type { StsControl } from './sts/control.js';
import type { OssHandler } from './oss/handler.js';
import type { PluginConfigOptions } from './plugin-config.js';
import type { RdsSecretOptions, SecretOptions, SecretValueInput } from './state/generic-secrets.js';
import type {
  AccessKeyPair,
  RamSecretOptions,
  RamSecretVersion,
  RotationResult,
} from './state/ram-secrets.js';
import type { TlsMaterial } from './tls.js';
import type { SecretVersionView, ServiceName } from './types.js';

export interface FakeCloudOptions {
  /** Records kept for `counters.list()`. Default 10 000. */
  counterCapacity?: number;
  /**
   * CA + server certificate of the HTTPS endpoints. Default: one generated
   * on first use and shared by every fake cloud of the process (RSA key
   * generation is the slow part of start-up); pass `generateTlsMaterial()`
   * for a fresh one.
   */
  tls?: TlsMaterial;
  /**
   * KMS also accepts the RAM user keys of RAM secrets, as for an app whose RAM user calls KMS itself
   * through a managed KMS client. Default false: KMS accepts only KMS caller keys, which catches a
   * plug-in that signs its own KMS fetches with the business key (or the other way round).
   */
  kmsAcceptsRamUserKeys?: boolean;
  /** RAM role attached to the fake ECS instance. Default `fake-cloud-role`; `null` = none. */
  roleName?: string | null;
  /** Lifetime of the STS credentials the metadata server hands out. Default 6 h. */
  stsTtlMs?: number;
}

/** One emulated service. */
export interface ServiceEndpoint {
  /** `http://127.0.0.1:<port>` (HTTPS for `dkms`). */
  readonly endpoint: string;
  readonly faults: ServiceFaults;
}

/** `cloud.faults.kms` or `cloud.faults('kms')`. */
export type FaultsByService = ((service: ServiceName) => ServiceFaults) &
  Readonly<Record<ServiceName, ServiceFaults>>;

/** When the key a rotation replaced is revoked: at once, after `ms`, or never. */
export type RevokeOld = 'now' | number | false;

export type AccessKeyStatus = 'active' | 'revoked' | 'expired' | 'unknown';

/** A running fake cloud; see the package README. */
export interface FakeCloud {
  readonly kms: ServiceEndpoint & { readonly httpsEndpoint: string };
  readonly ecs: ServiceEndpoint;
  /** Container Service (ROA, `Authorization: acs AK:signature`): `GET /clusters`, `GET /clusters/{id}`. */
  readonly cs: ServiceEndpoint;
  /** OSS; `store` holds its buckets and objects (create buckets, inspect uploads). */
  readonly oss: ServiceEndpoint & { readonly store: OssHandler['store'] };
  /** KMS instance API (dedicated gateway), HTTPS with `caPem`. */
  readonly dkms: ServiceEndpoint;
  readonly metadata: ServiceEndpoint & MetadataControl;
  /** STS: AssumeRole (signed by a KMS caller key) and AssumeRoleWithOIDC; issued keys may call KMS. */
  readonly sts: ServiceEndpoint & StsControl;
  /** PEM of the CA that signed the HTTPS endpoints' certificate (for 127.0.0.1 and localhost). */
  readonly caPem: string;
  readonly counters: RequestCounters;
  readonly faults: FaultsByService;
  /** A plain AccessKey allowed to call KMS and STS AssumeRole (not ECS/OSS). */
  createKmsAccessKey(): AccessKeyPair;
  /**
   * The managed-credentials keys (values as strings, as in the properties
   * file) for `credentials_type=ak` against this cloud's KMS over HTTP:
   * `credentials_type`, `credentials_access_key_id`,
   * `credentials_access_secret`, `cache_client_region_id` (the KMS endpoint
   * under `regionId`, default `cn-hangzhou`) and, with `secretNames`,
   * `secret_names`. Signs with `kmsKey`, by default a fresh
   * `createKmsAccessKey()`. Printing the result hides the secret.
   */
  pluginConfig(options?: PluginConfigOptions): Record<string, string>;
  /** A fresh ClientKey, registered for RSA-signed KMS and KMS-instance calls. */
  createClientKey(options?: GenerateClientKeyOptions): ClientKeyMaterial;
  /** Makes a RAM user AccessKey and stores it as a `RamCredentials` secret. */
  createRamSecret(name: string, options?: RamSecretOptions): RamSecretVersion;
  /** Stores `rawData` as the new `ACSCurrent` of a secret (created as `Generic` if absent); binary data as base64. */
  putSecretValue(
    name: string,
    rawData: string,
    options?: { versionId?: string; secretDataType?: 'text' | 'binary' },
  ): SecretVersionView;
  /**
   * Creates a secret of any type (default `Generic`) holding `value`: text, a JSON object (stored as JSON
   * text) or bytes (a `binary` secret, answered as base64).
   */
  createSecret(name: string, value: SecretValueInput, options?: SecretOptions): SecretVersionView;
  /**
   * Creates an RDS-style secret: `{"AccountName","AccountPassword"}`, type `Rds`, ExtendedConfig
   * `{"SecretSubType":"SingleUser","DBInstanceId",…}`, automatic rotation every 7 days by default.
   */
  createRdsSecret(name: string, options?: RdsSecretOptions): SecretVersionView;
  /**
   * Rotates any secret: a new version takes `ACSCurrent` (old → `ACSPrevious`), the rotation dates move.
   * Without `value`: a RAM secret gets a new key pair (as `rotate`, old key not revoked), a JSON value with
   * `AccountPassword` a new password, a binary value new bytes, other text a new random text.
   */
  rotateSecret(name: string, options?: { value?: SecretValueInput }): SecretVersionView;
  /** New AccessKey pair as `ACSCurrent`; the old version becomes `ACSPrevious`; old key revoked per `revokeOld` (default false). */
  rotate(name: string, options?: { revokeOld?: RevokeOld }): RotationResult;
  /** Revokes any AccessKey (RAM user or KMS caller); false when unknown. */
  revokeAccessKey(accessKeyId: string): boolean;
  /** `active`, `revoked`, `expired` (STS past its expiry) or `unknown`. */
  accessKeyStatus(accessKeyId: string): AccessKeyStatus;
  /** The pair the RAM secret holds as `ACSCurrent` now. */
  currentAccessKey(name: string): AccessKeyPair | undefined;
  /** What GetSecretValue would answer (default `ACSCurrent`). */
  getSecret(
    name: string,
    options?: { versionStage?: string; versionId?: string },
  ): SecretVersionView | undefined;
  /** Closes every server, connection and timer. Idempotent. */
  close(): Promise<void>;
}
