/**
 * `managed-credentials-oss`: an ali-oss client whose AccessKey comes from a
 * KMS RAM secret, kept fresh by the managed-credentials provider.
 * @packageDocumentation
 */
export { ProxyOSSClient } from './proxy-oss-client.js';
export { isExpiredOssKeyError } from './expired-key.js';
export type { ProxyOSSClientOptions, ManagedCredentialsOSSOptions, ManagedOSSOptionKeys } from './options.js';
// Re-exported so a per-call AbortSignal needs no import from the core: ali-oss operations take none.
export { withCallOptions } from 'managed-credentials';
