import type { ManagedPopCoreOptions, ProxyRPCClientConfig } from './options.js';
import { RPCClient } from './pop-core-classes.js';
import { defineKeyFields } from './key-fields.js';
import { SecretBinding } from './secret-binding.js';

/**
 * pop-core's `RPCClient` (ECS, SMS, DNS … through `@alicloud/pop-core`) that
 * signs every request with the current AccessKey of a KMS RAM secret, and —
 * when the service answers `InvalidAccessKeyId` — refreshes the key (one KMS
 * fetch shared by every client of the secret) and sends the request again.
 * It is an `RPCClient` in every respect (`instanceof`, type, `request`,
 * `endpoint`, `apiVersion`, `codes`, `opts`), built without a key.
 *
 * @example
 * const ecs = new ProxyRPCClient({ endpoint: 'https://ecs.aliyuncs.com', apiVersion: '2014-05-26' }, 'my-ram-secret');
 * await ecs.request('DescribeRegions', {}, { method: 'POST' });
 * await ecs.close();
 */
export class ProxyRPCClient extends RPCClient {
  readonly #binding: SecretBinding;

  /**
   * Synchronous; the first request waits for the first KMS fetch.
   * @param config pop-core's `RPCClient` config without a key (`endpoint` with scheme, `apiVersion`, `codes`, `opts`).
   * @param secretName Name of the KMS RAM secret that holds the AccessKey.
   * @param options the plug-in's options (see {@link ManagedPopCoreOptions}).
   * @throws ConfigError when `config` holds a key (`accessKeyId`, `securityToken` …) or the default provider's config is invalid.
   */
  constructor(config: ProxyRPCClientConfig, secretName: string, options: ManagedPopCoreOptions = {}) {
    const binding = new SecretBinding('ProxyRPCClient', config, secretName, options);
    super(binding.configFor(config) as RPCClient.Config);
    this.#binding = binding;
    binding.register(this);
  }

  /** pop-core's `request`, signed with one key snapshot and retried once the key was rotated under it. */
  override request<T>(...args: Parameters<RPCClient['request']>): Promise<T> {
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
    defineKeyFields(ProxyRPCClient.prototype, 'ProxyRPCClient', (client) =>
      #binding in client ? (client as ProxyRPCClient).#binding.signingKey : undefined,
    );
  }
}
