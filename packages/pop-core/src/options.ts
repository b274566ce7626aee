import type { ExpiredKeyJudge, ManagedCredentialsProvider } from 'managed-credentials';
import type { ROAClientConfig, RPCClient } from './pop-core-classes.js';

/** pop-core config fields the plug-in owns: the key comes from the secret. */
export type ManagedPopCoreConfigKeys = 'accessKeyId' | 'accessKeySecret' | 'securityToken';

/** Config of {@link ProxyRPCClient}: pop-core's own `RPCClient` config (endpoint, apiVersion, codes, opts) without the key. */
export type ProxyRPCClientConfig = Omit<RPCClient.Config, ManagedPopCoreConfigKeys>;

/** Config of {@link ProxyROAClient}: pop-core's own `ROAClient` config (endpoint, apiVersion, opts) without the key. */
export type ProxyROAClientConfig = Omit<ROAClientConfig, ManagedPopCoreConfigKeys>;

/** What the plug-in adds to a pop-core client, as the last constructor argument. Every field is optional. */
export interface ManagedPopCoreOptions {
  /**
   * The plug-in instance that holds the secret.
   * @default getDefaultProvider() (reads `managed_credentials_providers.properties`)
   */
  provider?: ManagedCredentialsProvider;
  /**
   * Decides whether an error thrown by `request` means "the AccessKey is invalid or expired".
   * @default isExpiredPopCoreKeyError (the core's `InvalidAccessKeyId.NotFound` / `InvalidAccessKeyId`
   *   in `err.code`, also read from `err.name` for pop-core releases that set no `code`)
   * @example
   * { isExpiredKeyError: (error) => isExpiredPopCoreKeyError(error) || (error as { code?: string }).code === 'Unauthorized' }
   */
  isExpiredKeyError?: ExpiredKeyJudge;
  /**
   * How many times a call rejected for an expired key is sent again with a newer key; 0 = never.
   * @default 1
   */
  maxRetries?: number;
  /**
   * Total time budget of one call for waiting on the first fetch, refreshes and retries, ms.
   * @default 30000 (the core's)
   */
  timeoutMs?: number;
}
