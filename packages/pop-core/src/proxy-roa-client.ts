import type { ManagedPopCoreOptions, ProxyROAClientConfig } from './options.js';
import { ROAClient, type ROAClientConfig } from './pop-core-classes.js';
import { defineKeyFields } from './key-fields.js';
import { SecretBinding } from './secret-binding.js';

/**
 * pop-core's `ROAClient` (CS and the other REST-style products) that signs
 * every request (`Authorization: acs AK:signature`) with the current
 * AccessKey of a KMS RAM secret, and — when the service answers
 * `InvalidAccessKeyId` — refreshes the key and sends the request again.
 * `get`, `post`, `put` and `delete` go through `request`, so they are
 * covered too. `instanceof ROAClient` holds.
 *
 * @example
 * const cs = new ProxyROAClient({ endpoint: 'https://cs.aliyuncs.com', apiVersion: '2015-12-15' }, 'my-ram-secret');
 * await cs.request('GET', '/clusters', {}, '', {}, {});
 * await cs.close();
 */
export class ProxyROAClient extends ROAClient {
  readonly #binding: SecretBinding;

  /**
   * Synchronous; the first request waits for the first KMS fetch.
   * @param config pop-core's `ROAClient` config without a key (`endpoint` with scheme, `apiVersion`, `opts`).
   * @param secretName Name of the KMS RAM secret that holds the AccessKey.
   * @param options the plug-in's options (see {@link ManagedPopCoreOptions}).
   * @throws ConfigError when `config` holds a key (`accessKeyId`, `securityToken` …) or the default provider's config is invalid.
   */
  constructor(config: ProxyROAClientConfig, secretName: string, options: ManagedPopCoreOptions = {}) {
    const binding = new SecretBinding('ProxyROAClient', config, secretName, options);
    super(binding.configFor(config) as ROAClientConfig);
    this.#binding = binding;
    binding.register(this);
  }

  /** pop-core's `request`, signed with one key snapshot and retried once the key was rotated under it. */
  override request<T = unknown>(...args: Parameters<ROAClient['request']>): Promise<T> {
    return this.#binding.call(this, super.request<T>, args);
  }

  /** Resolves once the secret's AccessKey has been fetched. */
  ready(): Promise<void> {
    return this.#binding.ready();
  }

  /**
   * Releases this client's claim on the secret (the provider stops refreshing it with the last claim).
   * Idempotent. A client dropped without `close()` releases its claim when it is garbage-collected.
   */
  async close(): Promise<void> {
    this.#binding.close();
  }

  static {
    defineKeyFields(ProxyROAClient.prototype, 'ProxyROAClient', (client) =>
      #binding in client ? (client as ProxyROAClient).#binding.signingKey : undefined,
    );
  }
}
