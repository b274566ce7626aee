/**
 * `managed-credentials-pop-core`: `@alicloud/pop-core` clients (the V1 core
 * SDK's `RPCClient` and `ROAClient`) whose AccessKey comes from a KMS RAM
 * secret, kept fresh by the managed-credentials provider.
 * @packageDocumentation
 */
export { ProxyRPCClient } from './proxy-rpc-client.js';
export { ProxyROAClient } from './proxy-roa-client.js';
export { isExpiredPopCoreKeyError } from './expired-key.js';
export type {
  ManagedPopCoreOptions,
  ManagedPopCoreConfigKeys,
  ProxyRPCClientConfig,
  ProxyROAClientConfig,
} from './options.js';
export type { ROAClient, ROAClientConfig, ROAQuery } from './pop-core-classes.js';
// Re-exported so a per-call AbortSignal needs no import from the core: pop-core's request takes none.
export { withCallOptions } from 'managed-credentials';
