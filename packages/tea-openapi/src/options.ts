import type { ExpiredKeyJudge, ManagedCredentialsProvider } from 'managed-credentials';

/** Options of {@link createClient}. Every field is optional. */
export interface CreateClientOptions {
  /**
   * Decides whether an error thrown by an API method means "the AccessKey is
   * invalid or expired". Default: the core's `isExpiredKeyError`
   * (`InvalidAccessKeyId.NotFound` / `InvalidAccessKeyId` in `err.code` or `err.data.Code`).
   */
  isExpiredKeyError?: ExpiredKeyJudge;
  /**
   * Also treat `Unauthorized` as an expired key, as the Java tea plug-in does.
   * Ignored when `isExpiredKeyError` is given. Default `false` (it is usually a
   * permission error, which a new key does not fix).
   */
  treatUnauthorizedAsExpired?: boolean;
  /** How many times a call rejected for an expired key is sent again with a newer key. Default `1`. */
  maxRetries?: number;
  /** Total time budget of one call for waiting on refreshes and retries, ms. Default: the core's (30 000). */
  timeoutMs?: number;
  /** The plug-in instance that holds the key. Default: `getDefaultProvider()` (reads the properties file). */
  provider?: ManagedCredentialsProvider;
}

/** Added to the returned client when its class has no `close` of its own. */
export interface ClosableClient {
  /**
   * Releases this client's claim on its secret, so the provider can stop
   * refreshing it when no other client uses it. Idempotent. Call it on the client (`client.close()`):
   * like the client's own methods it finds its client from `this`.
   */
  close(): Promise<void>;
}

/** Any generated tea-openapi client class: constructed from one config object. */
export type ClientConstructor = new (config: never) => object;

/**
 * A generated client package as Node's ESM loader (and TypeScript with
 * `module: NodeNext`) gives its default import: the CommonJS `module.exports`,
 * whose `default` is the client class.
 */
export interface ClientModule {
  readonly default: ClientConstructor;
}

/** What {@link createClient} returns: the client class's instance type, plus `close()` if it has none. */
export type ManagedClient<C extends ClientConstructor> =
  InstanceType<C> extends { close: unknown } ? InstanceType<C> : InstanceType<C> & ClosableClient;
