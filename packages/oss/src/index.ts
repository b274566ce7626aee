/**
 * `managed-credentials-oss`: an ali-oss client whose AccessKey comes from a
 * KMS RAM secret, kept fresh by the managed-credentials provider.
 * @packageDocumentation
 */
export { ProxyOSSClient } from './proxy-oss-client.js';
export { isExpiredOssKeyError } from './expired-key.js';
export type { ProxyOSSClientOptions, ManagedCredentialsOSSOptions, ManagedOSSOptionKeys } from './options.js';
