import type OSS from 'ali-oss';
import type { ExpiredKeyJudge, ManagedCredentialsProvider } from 'managed-credentials';

/** ali-oss options that the plug-in owns: the key comes from the secret, the endpoint is the first argument. */
export type ManagedOSSOptionKeys =
  'accessKeyId' | 'accessKeySecret' | 'stsToken' | 'refreshSTSToken' | 'refreshSTSTokenInterval' | 'endpoint';

/** What the plug-in adds to ali-oss's own options. */
export interface ManagedCredentialsOSSOptions {
  /** The plug-in instance that holds the secret. Default: `getDefaultProvider()` (reads the properties file). */
  provider?: ManagedCredentialsProvider;
  /**
   * Decides whether an OSS error means "the AccessKey is invalid/expired". Default: the core's
   * `isExpiredKeyError` (`InvalidAccessKeyId*`, any case), plus a 403 that ali-oss could not read a
   * code from (`getStream` discards the error body).
   */
  isExpiredKeyError?: ExpiredKeyJudge;
  /** How many times a call rejected for an expired key is retried with a newer key. Default 1. */
  maxRetries?: number;
  /** Total time budget for waiting on a refresh and retrying one call, ms. Default 30 000 (the core's). */
  timeoutMs?: number;
  /**
   * Read a `Readable` argument (e.g. of `putStream`, `put`, `append`) fully into memory before the
   * call, so that a call rejected for an expired key can be sent again with the same bytes.
   * Costs the whole body in memory. Default false: such a call is not retried; it fails with
   * `NonReplayableCallError` after the key was refreshed.
   */
  bufferStreams?: boolean;
}

/** Options of {@link ProxyOSSClient}: ali-oss's own (bucket, region, authorizationV4, secure, timeout …) minus the key. */
export type ProxyOSSClientOptions = Omit<OSS.Options, ManagedOSSOptionKeys> & ManagedCredentialsOSSOptions;
