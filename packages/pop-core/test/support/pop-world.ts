import { ManagedCredentialsProvider, type RawConfig } from 'managed-credentials';
import { generateTlsMaterial, startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import {
  ProxyROAClient,
  ProxyRPCClient,
  type ManagedPopCoreOptions,
  type ProxyROAClientConfig,
  type ProxyRPCClientConfig,
} from 'managed-credentials-pop-core';

/** One fake cloud for a test file. */
export async function startCloud(): Promise<FakeCloud> {
  return startFakeCloud({ tls: generateTlsMaterial() });
}

/** A RAM secret in the fake cloud, a real provider reading it over HTTP, and pop-core clients on it. */
export interface PopWorld {
  readonly cloud: FakeCloud;
  readonly provider: ManagedCredentialsProvider;
  readonly config: RawConfig;
  readonly secretName: string;
  /** A `ProxyRPCClient` on the fake ECS (API 2014-05-26); closed by `close()`. */
  ecs(options?: ManagedPopCoreOptions, config?: Partial<ProxyRPCClientConfig>): ProxyRPCClient;
  /** A `ProxyROAClient` on the fake CS (API 2015-12-15); closed by `close()`. */
  cs(options?: ManagedPopCoreOptions, config?: Partial<ProxyROAClientConfig>): ProxyROAClient;
  /** GetSecretValue requests KMS served for this world's secret so far. */
  kmsFetches(): number;
  /** Requests of one service with one outcome (`ok`, `InvalidAccessKeyId.NotFound` …). */
  requests(service: 'ecs' | 'cs', outcome: string): number;
  close(): Promise<void>;
}

let worlds = 0;

export function createWorld(cloud: FakeCloud): PopWorld {
  const secretName = `pop-core-secret-${++worlds}`;
  cloud.createRamSecret(secretName);
  const config: RawConfig = cloud.pluginConfig();
  const provider = new ManagedCredentialsProvider({ config });
  const clients: Array<{ close(): Promise<void> }> = [];
  const track = <C extends { close(): Promise<void> }>(client: C): C => {
    clients.push(client);
    return client;
  };
  return {
    cloud,
    provider,
    config,
    secretName,
    ecs: (options = {}, extra = {}) =>
      track(
        new ProxyRPCClient({ endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26', ...extra }, secretName, {
          provider,
          ...options,
        }),
      ),
    cs: (options = {}, extra = {}) =>
      track(
        new ProxyROAClient({ endpoint: cloud.cs.endpoint, apiVersion: '2015-12-15', ...extra }, secretName, {
          provider,
          ...options,
        }),
      ),
    kmsFetches: () => cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName }),
    requests: (service, outcome) => cloud.counters.count({ service, outcome }),
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await provider.close();
    },
  };
}
