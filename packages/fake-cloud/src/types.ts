import type { IncomingMessage, ServerResponse } from 'node:http';

/** The emulated services; each listens on its own 127.0.0.1 port. */
export type ServiceName = 'kms' | 'ecs' | 'oss' | 'metadata' | 'dkms';

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
