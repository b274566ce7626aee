export { startFakeCloud } from './fake-cloud.js';
export type {
  AccessKeyStatus,
  FakeCloud,
  FakeCloudOptions,
  FaultsByService,
  RevokeOld,
  ServiceEndpoint,
} from './fake-cloud-api.js';
export { closedPort } from './closed-port.js';
export { whenRequestsArrive } from './requests-arrive.js';
export { toProperties } from './plugin-config.js';
export type { PluginConfigOptions } from './plugin-config.js';
export { generateClientKey } from './client-key.js';
export type { ClientKeyMaterial, GenerateClientKeyOptions } from './client-key.js';
export { generateTlsMaterial } from './tls.js';
export type { TlsMaterial } from './tls.js';
export type { CounterFilter, RequestCounters, RequestRecord } from './counters.js';
export type { FailureKind, FailureOverride, ServiceFaults } from './faults.js';
export type { MetadataControl } from './metadata/service.js';
export type { StsControl } from './sts/control.js';
export type { RoleCredentials } from './metadata/handler.js';
export type { RdsSecretOptions, SecretOptions, SecretValueInput } from './state/generic-secrets.js';
export type {
  AccessKeyPair,
  RamSecretOptions,
  RamSecretVersion,
  RotationResult,
} from './state/ram-secrets.js';
export type {
  AccessKeyStore,
  ClientKeyRecord,
  ClientKeyStore,
  RamAccessKey,
  RequestNote,
  SecretStore,
  SecretVersionView,
  ServiceHandler,
  ServiceName,
} from './types.js';
