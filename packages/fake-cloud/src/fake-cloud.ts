import { generateClientKey } from './client-key.js';
import { RequestCounterStore } from './counters.js';
import { createDkmsHandler, instanceErrorBody } from './dkms/index.js';
import { createCsHandler } from './cs/handler.js';
import { createEcsHandler } from './ecs/handler.js';
import type { FakeCloud, FakeCloudOptions, FaultsByService } from './fake-cloud-api.js';
import { FaultState } from './faults.js';
import { ossErrorFormat, popErrorFormat, textErrorFormat } from './http/errors.js';
import { createKmsHandler } from './kms/handler.js';
import { MetadataService } from './metadata/service.js';
import { createOssHandler } from './oss/handler.js';
import { akPluginConfig } from './plugin-config.js';
import { stsControl } from './sts/control.js';
import { createStsHandler } from './sts/handler.js';
import { redactCredential } from './redact.js';
import { startServiceServer, type ServiceServer, type ServiceServerOptions } from './server.js';
import { AccessKeyRegistry } from './state/access-keys.js';
import { ClientKeyRegistry } from './state/client-keys.js';
import { GenericSecrets } from './state/generic-secrets.js';
import { RamSecrets, type AccessKeyPair } from './state/ram-secrets.js';
import { SecretRegistry } from './state/secrets.js';
import { sharedTlsMaterial } from './tls.js';
import type { ServiceHandler, ServiceName } from './types.js';

const SERVICES: readonly ServiceName[] = ['kms', 'ecs', 'oss', 'metadata', 'dkms', 'sts', 'cs'];

/** Starts KMS (HTTP + HTTPS), ECS, CS, OSS, ECS metadata and the KMS instance API on 127.0.0.1. */
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
  const genericSecrets = new GenericSecrets(secrets);
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
  let metadata: ServiceServer, dkms: ServiceServer, sts: ServiceServer, cs: ServiceServer;
  const oidcTokens = new Set<string>();
  try {
    const kmsHandler = createKmsHandler({
      accessKeys: options.kmsAcceptsRamUserKeys
        ? accessKeys.view('kms-caller', 'ram-user')
        : accessKeys.view('kms-caller'),
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
    cs = await start(
      'cs',
      createCsHandler({
        accessKeys: accessKeys.view('ram-user'),
        errorFormat: popErrorFormat('cs.fake-cloud.local'),
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
    sts = await start(
      'sts',
      createStsHandler({ keys: accessKeys, oidcTokens, errorFormat: popErrorFormat('sts.fake-cloud.local') }),
      { errorFormat: popErrorFormat('sts.fake-cloud.local') },
    );
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
  const createKmsAccessKey = (): AccessKeyPair => {
    const { accessKeyId, accessKeySecret } = accessKeys.create('kms-caller');
    return redactCredential({ accessKeyId, accessKeySecret }, 'AccessKey', { accessKeyId });
  };

  return {
    kms: { endpoint: kms.endpoint, httpsEndpoint: kmsTls.endpoint, faults: faultStates.kms },
    ecs: { endpoint: ecs.endpoint, faults: faultStates.ecs },
    cs: { endpoint: cs.endpoint, faults: faultStates.cs },
    oss: { endpoint: oss.endpoint, faults: faultStates.oss, store: ossHandler.store },
    dkms: { endpoint: dkms.endpoint, faults: faultStates.dkms },
    metadata: Object.assign(
      metadataService.control(() => metadata.endpoint),
      { endpoint: metadata.endpoint, faults: faultStates.metadata },
    ),
    sts: Object.assign(
      stsControl(oidcTokens, () => sts.endpoint),
      {
        endpoint: sts.endpoint,
        faults: faultStates.sts,
      },
    ),
    caPem: tls.caPem,
    counters,
    faults,
    createKmsAccessKey,
    pluginConfig({ kmsKey = createKmsAccessKey(), ...configOptions } = {}) {
      return akPluginConfig(kms.endpoint, kmsKey, configOptions);
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
    createSecret: (name, value, secretOptions) => genericSecrets.create(name, value, secretOptions),
    createRdsSecret: (name, rdsOptions) => genericSecrets.createRds(name, rdsOptions),
    rotateSecret(name, rotateOptions = {}) {
      const isRam = secrets.metadata(name)?.secretType === 'RamCredentials';
      return isRam && rotateOptions.value === undefined
        ? ramSecrets.rotate(name).view
        : genericSecrets.rotate(name, rotateOptions);
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
