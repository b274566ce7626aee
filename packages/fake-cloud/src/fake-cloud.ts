import { generateClientKey, type ClientKeyMaterial, type GenerateClientKeyOptions } from './client-key.js';
import { redactCredential } from './redact.js';
import { RequestCounterStore, type RequestCounters } from './counters.js';
import { createDkmsHandler, instanceErrorBody } from './dkms/index.js';
import { createEcsHandler } from './ecs/handler.js';
import { FaultState, type ServiceFaults } from './faults.js';
import { ossErrorFormat, popErrorFormat, textErrorFormat } from './http/errors.js';
import { createKmsHandler } from './kms/handler.js';
import { MetadataService, type MetadataControl } from './metadata/service.js';
import { createOssHandler, type OssHandler } from './oss/handler.js';
import { startServiceServer, type ServiceServer, type ServiceServerOptions } from './server.js';
import { AccessKeyRegistry } from './state/access-keys.js';
import { ClientKeyRegistry } from './state/client-keys.js';
import {
  RamSecrets,
  type AccessKeyPair,
  type RamSecretOptions,
  type RamSecretVersion,
  type RotationResult,
} from './state/ram-secrets.js';
import { SecretRegistry } from './state/secrets.js';
import { sharedTlsMaterial, type TlsMaterial } from './tls.js';
import type { SecretVersionView, ServiceHandler, ServiceName } from './types.js';

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
  /** OSS; `store` holds its buckets and objects (create buckets, inspect uploads). */
  readonly oss: ServiceEndpoint & { readonly store: OssHandler['store'] };
  /** KMS instance API (dedicated gateway), HTTPS with `caPem`. */
  readonly dkms: ServiceEndpoint;
  readonly metadata: ServiceEndpoint & MetadataControl;
  /** PEM of the CA that signed the HTTPS endpoints' certificate (for 127.0.0.1 and localhost). */
  readonly caPem: string;
  readonly counters: RequestCounters;
  readonly faults: FaultsByService;
  /** A plain AccessKey allowed to call KMS (not ECS/OSS). */
  createKmsAccessKey(): AccessKeyPair;
  /** A fresh ClientKey, registered for RSA-signed KMS and KMS-instance calls. */
  createClientKey(options?: GenerateClientKeyOptions): ClientKeyMaterial;
  /** Makes a RAM user AccessKey and stores it as a `RamCredentials` secret. */
  createRamSecret(name: string, options?: RamSecretOptions): RamSecretVersion;
  /** Stores `rawData` as the new `ACSCurrent` of a secret (created as `Generic` if absent). */
  putSecretValue(name: string, rawData: string, options?: { versionId?: string }): SecretVersionView;
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

const SERVICES: readonly ServiceName[] = ['kms', 'ecs', 'oss', 'metadata', 'dkms'];

/** Starts KMS (HTTP + HTTPS), ECS, OSS, ECS metadata and the KMS instance API on 127.0.0.1. */
export async function startFakeCloud(options: FakeCloudOptions = {}): Promise<FakeCloud> {
  const tls = options.tls ?? sharedTlsMaterial();
  const counters = new RequestCounterStore(options.counterCapacity);
  const faultStates = Object.fromEntries(SERVICES.map((s) => [s, new FaultState()])) as Record<
    ServiceName,
    FaultState
  >;
  const accessKeys = new AccessKeyRegistry();
  const clientKeys = new ClientKeyRegistry();
  const secrets = new SecretRegistry();
  const ramSecrets = new RamSecrets(accessKeys, secrets);
  const metadataService = new MetadataService(accessKeys, {
    roleName: options.roleName === undefined ? 'fake-cloud-role' : options.roleName,
    stsTtlMs: options.stsTtlMs ?? 6 * 3600_000,
  });
  const timers = new Set<NodeJS.Timeout>();
  const servers: ServiceServer[] = [];

  const start = async (
    service: ServiceName,
    handler: ServiceHandler,
    extra: Partial<ServiceServerOptions> = {},
  ): Promise<ServiceServer> => {
    const server = await startServiceServer({
      service,
      handler,
      faults: faultStates[service],
      counters,
      errorFormat: popErrorFormat(`${service}.fake-cloud.local`),
      throttling: { status: 400, code: 'Throttling' },
      ...extra,
    });
    servers.push(server);
    return server;
  };
  const closeAll = async (): Promise<void> => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.all(servers.map((s) => s.close()));
  };

  const ossHandler = createOssHandler({ accessKeys: accessKeys.view('ram-user') });
  let kms: ServiceServer, kmsTls: ServiceServer, ecs: ServiceServer, oss: ServiceServer;
  let metadata: ServiceServer, dkms: ServiceServer;
  try {
    const kmsHandler = createKmsHandler({
      accessKeys: accessKeys.view('kms-caller'),
      clientKeys,
      secrets,
      errorFormat: popErrorFormat('kms.fake-cloud.local'),
    });
    const tlsOptions = { tls: { key: tls.serverKeyPem, cert: tls.serverCertPem } };
    kms = await start('kms', kmsHandler);
    kmsTls = await start('kms', kmsHandler, tlsOptions);
    ecs = await start(
      'ecs',
      createEcsHandler({
        accessKeys: accessKeys.view('ram-user'),
        errorFormat: popErrorFormat('ecs.fake-cloud.local'),
      }),
    );
    oss = await start('oss', ossHandler, {
      errorFormat: ossErrorFormat('oss.fake-cloud.local'),
      throttling: { status: 503, code: 'Throttling' },
    });
    metadata = await start('metadata', metadataService.handler(), {
      errorFormat: textErrorFormat,
      throttling: { status: 429, code: 'Throttling' },
    });
    dkms = await start('dkms', createDkmsHandler({ clientKeys, secrets }), {
      ...tlsOptions,
      errorFormat: ({ status, code, message, requestId }) => ({
        contentType: 'application/x-protobuf',
        body: instanceErrorBody({ status, code, message }, requestId),
        requestIdHeader: 'x-kms-requestid',
      }),
      throttling: { status: 503, code: 'Throttling' },
    });
  } catch (error) {
    await closeAll();
    throw error;
  }

  const faults = Object.assign(
    (service: ServiceName) => faultStates[service],
    faultStates,
  ) as FaultsByService;
  let closing: Promise<void> | undefined;

  return {
    kms: { endpoint: kms.endpoint, httpsEndpoint: kmsTls.endpoint, faults: faultStates.kms },
    ecs: { endpoint: ecs.endpoint, faults: faultStates.ecs },
    oss: { endpoint: oss.endpoint, faults: faultStates.oss, store: ossHandler.store },
    dkms: { endpoint: dkms.endpoint, faults: faultStates.dkms },
    metadata: Object.assign(
      metadataService.control(() => metadata.endpoint),
      { endpoint: metadata.endpoint, faults: faultStates.metadata },
    ),
    caPem: tls.caPem,
    counters,
    faults,
    createKmsAccessKey() {
      const { accessKeyId, accessKeySecret } = accessKeys.create('kms-caller');
      return redactCredential({ accessKeyId, accessKeySecret }, 'AccessKey', { accessKeyId });
    },
    createClientKey(clientKeyOptions) {
      const material = generateClientKey(clientKeyOptions);
      clientKeys.register(material);
      return material;
    },
    createRamSecret: (name, secretOptions) => ramSecrets.create(name, secretOptions),
    putSecretValue(name, rawData, putOptions = {}) {
      const version = { secretData: rawData, ...putOptions };
      return secrets.has(name)
        ? secrets.putVersion(name, version)
        : secrets.create(name, { secretType: 'Generic' }, version);
    },
    rotate(name, rotateOptions = {}) {
      const { previous, ...result } = ramSecrets.rotate(name);
      const revokeOld = rotateOptions.revokeOld ?? false;
      if (previous && revokeOld === 'now') accessKeys.revoke(previous.accessKeyId);
      else if (previous && typeof revokeOld === 'number') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          accessKeys.revoke(previous.accessKeyId);
        }, revokeOld);
        timer.unref();
        timers.add(timer);
      }
      return result;
    },
    revokeAccessKey: (id) => accessKeys.revoke(id),
    accessKeyStatus(id) {
      const key = accessKeys.get(id);
      if (!key) return 'unknown';
      if (key.revoked) return 'revoked';
      return key.expiresAt !== undefined && key.expiresAt <= Date.now() ? 'expired' : 'active';
    },
    currentAccessKey: (name) => ramSecrets.current(name),
    getSecret: (name, getOptions) => secrets.getSecretValue(name, getOptions),
    close() {
      closing ??= closeAll();
      return closing;
    },
  };
}
