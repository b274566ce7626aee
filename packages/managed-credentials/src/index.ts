/**
 * managed-credentials: the current AccessKey of a KMS RAM secret for Alibaba
 * Cloud SDK clients, cached, refreshed ahead of rotation, and refreshed at
 * once when the cloud rejects it. Adapters: managed-credentials-tea-openapi,
 * managed-credentials-oss.
 *
 * @packageDocumentation
 */
export { AccessKeySnapshot } from './access-key.js';
export {
  ManagedCredentialsError,
  ConfigError,
  ClientKeyError,
  SecretFetchError,
  SecretNotFoundError,
  SecretFormatError,
  NotReadyError,
  ProviderClosedError,
  NonReplayableCallError,
  CallTimeoutError,
  type ConfigOrigin,
} from './errors.js';
export type { ProviderEvents, ProviderEventName, ProviderEventListener, RefreshReason } from './events.js';
export {
  ManagedCredentialsProvider,
  type ProviderOptions,
  type CallOptions,
  type Registration,
  type Clock,
  type Scheduler,
  type TimerHandle,
  type RetryOptions,
  type KmsSourceOptions,
} from './provider.js';
export { withCallOptions, type ScopedCallOptions } from './cache/scoped-call-options.js';
export { refreshFailureOf } from './cache/refresh-failure.js';
export { getDefaultProvider, setDefaultProvider, closeDefaultProvider } from './default-provider.js';
export {
  isExpiredKeyError,
  createExpiredKeyJudge,
  type ExpiredKeyJudge,
  type ExpiredKeyJudgeOptions,
} from './expired-key.js';
export {
  loadConfig,
  resolveConfigFilePath,
  setConfigFilePath,
  type LoadConfigOptions,
} from './config/index.js';
export type {
  ManagedCredentialsConfig,
  RawConfig,
  KmsAuthConfig,
  RegionConfig,
  DedicatedGatewayConfig,
  CredentialsType,
  ClientKey,
} from './config/types.js';
export type { SecretInfo, SecretSource } from './kms/types.js';
