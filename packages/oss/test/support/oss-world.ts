import { ManagedCredentialsProvider, type RawConfig } from 'managed-credentials';
import { startFakeCloud, generateTlsMaterial, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ProxyOSSClient, type ProxyOSSClientOptions } from 'managed-credentials-oss';

/** One fake cloud for a test file; reusing the TLS material keeps start-up cheap. */
export async function startCloud(): Promise<FakeCloud> {
  return startFakeCloud({ tls: generateTlsMaterial() });
}

/** A RAM secret in the fake cloud, a real provider reading it over HTTP, and clients on it. */
export interface OssWorld {
  readonly cloud: FakeCloud;
  readonly provider: ManagedCredentialsProvider;
  /** The provider's config (KMS endpoint and the KMS caller's key), for a second provider. */
  readonly config: RawConfig;
  readonly secretName: string;
  readonly bucket: string;
  /** A client on `secretName` with the world's provider; closed by `close()`. */
  client(options?: ProxyOSSClientOptions, endpoint?: string): ProxyOSSClient;
  /** GetSecretValue requests KMS served for this world's secret so far. */
  kmsFetches(): number;
  /** OSS requests of one outcome (`ok`, `InvalidAccessKeyId` …), optionally of one action. */
  ossRequests(outcome: string, action?: string): number;
  close(): Promise<void>;
}

let worlds = 0;

/** Creates a secret, a provider and a bucket (through a ProxyOSSClient, so the key works end to end). */
export async function createWorld(cloud: FakeCloud): Promise<OssWorld> {
  const id = ++worlds;
  const secretName = `oss-secret-${id}`;
  const bucket = `bucket-${id}-${process.pid}`;
  cloud.createRamSecret(secretName);
  const config: RawConfig = cloud.pluginConfig();
  const provider = new ManagedCredentialsProvider({ config });
  const clients: ProxyOSSClient[] = [];
  const world: OssWorld = {
    cloud,
    provider,
    config,
    secretName,
    bucket,
    client(options = {}, endpoint = cloud.oss.endpoint) {
      const client = new ProxyOSSClient(endpoint, secretName, { provider, bucket, ...options });
      clients.push(client);
      return client;
    },
    kmsFetches: () => cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName }),
    ossRequests: (outcome, action) => cloud.counters.count({ service: 'oss', outcome, action }),
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await provider.close();
    },
  };
  await world.client().putBucket(bucket);
  return world;
}
