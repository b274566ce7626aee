import type { IncomingMessage, ServerResponse } from 'node:http';

/** The emulated services; each listens on its own 127.0.0.1 port. */
export type ServiceName = 'kms' | 'ecs' | 'oss' | 'metadata' | 'dkms' | 'sts' | 'cs';

/** A RAM user AccessKey known to the emulator (held in a RAM secret, or a KMS caller's key). */
export interface RamAccessKey {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Revoked keys are rejected by ECS and OSS as unknown (`InvalidAccessKeyId.NotFound` / `InvalidAccessKeyId`). */
  revoked: boolean;
  /** STS token that must accompany the key, for temporary credentials. */
  securityToken?: string;
}

/** Looks up AccessKeys by id; shared by every service of one fake cloud. */
export interface AccessKeyStore {
  get(accessKeyId: string): RamAccessKey | undefined;
}

/**
 * Filled in by a service handler while it serves a request; the server adds
 * status and outcome and keeps it in the counters.
 */
export interface RequestNote {
  action?: string;
  secretName?: string;
  accessKeyId?: string;
  /** How the request was signed: `ACS3-HMAC-SHA256`, `HMAC-SHA1`, `SHA256withRSA`, `OSS4-HMAC-SHA256` … */
  signatureMethod?: string;
  /** The error code answered (`SignatureDoesNotMatch` …); absent on success. */
  errorCode?: string;
}

/**
 * One service's request handler. The server has already read the whole body
 * and applied faults; the handler verifies the signature, answers, and notes
 * what it saw.
 */
export type ServiceHandler = (
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  note: RequestNote,
) => void | Promise<void>;

/** A registered ClientKey (its public half), for RSA-signed KMS and KMS-instance requests. */
export interface ClientKeyRecord {
  readonly keyId: string;
  readonly publicKeyPem: string;
}

export interface ClientKeyStore {
  get(keyId: string): ClientKeyRecord | undefined;
}

/** One version of a secret as KMS would answer GetSecretValue for it. */
export interface SecretVersionView {
  secretName: string;
  secretData: string;
  secretDataType: 'text' | 'binary';
  versionId: string;
  versionStages: string[];
  secretType: string;
  /** JSON text, as KMS sends it. */
  extendedConfig?: string;
  /** e.g. `"86400s"`. */
  rotationInterval?: string;
  /** ISO 8601. */
  nextRotationDate?: string;
  /** ISO 8601; set once the secret has been rotated. */
  lastRotationDate?: string;
  /** ISO 8601. */
  createTime: string;
}

export interface SecretStore {
  /** The version holding `versionStage` (default `ACSCurrent`), or a specific `versionId`. */
  getSecretValue(
    secretName: string,
    options?: { versionStage?: string; versionId?: string },
  ): SecretVersionView | undefined;
}
