/**
 * managed-credentials: the current AccessKey of a KMS RAM secret for Alibaba
 * Cloud SDK clients, cached, refreshed ahead of rotation, and refreshed at
 * once when the cloud rejects it — and secrets of every type (generic, RDS …)
 * from the same cache. Adapters: managed-credentials-tea-openapi,
 * managed-credentials-oss.
 *
 * @packageDocumentation
 */
export { AccessKeySnapshot } from './access-key.js';
export { SecretValueInfo, type SecretDataType } from './secret/secret-value-info.js';
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
  KmsRequestRejectedError,
  KmsAnswerTooLargeError,
  type KmsRejectionCode,
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
  type SecretChangeListener,
} from './provider.js';
export { withCallOptions } from './call/scoped-call-options.js';
export type { ScopedCallOptions } from './call/call-options.js';
export { apiMemberKind, callApiMember, firstAttemptThen, type ApiMemberKind } from './call/api-method.js';
export { KeyHandover } from './call/key-handover.js';
export { refreshFailureOf } from './call/refresh-failure.js';
export { offerOpenApiClient } from './kms/openapi-sdk.js';
export { getDefaultProvider, setDefaultProvider, closeDefaultProvider } from './default-provider.js';
export { getSecretInfo, getSecretValue } from './default-secrets.js';
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
