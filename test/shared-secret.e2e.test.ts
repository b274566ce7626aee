/**
 * One RAM secret, two SDKs: an ECS client (`createClient`) and an OSS client
 * (`ProxyOSSClient`) built on the same provider share one cache entry, so a
 * rotation that revokes the old key costs ONE KMS fetch however many calls of
 * either client were rejected (generation-aware single flight across adapters).
 */
import { ManagedCredentialsProvider, type ProviderEvents } from 'managed-credentials';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ProxyOSSClient } from 'managed-credentials-oss';
import type { ManagedClient } from 'managed-credentials-tea-openapi';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { $Ecs, describeRequest, type Ecs, kmsFetches, managedEcs, REGION } from './support/e2e.js';

let cloud: FakeCloud;
let provider: ManagedCredentialsProvider;
let ecs: ManagedClient<typeof Ecs>;
let oss: ProxyOSSClient;
let retried: ProviderEvents['call-retried'][];
let secretName: string;
let bucket: string;
let worlds = 0;

beforeAll(async () => {
  cloud = await startFakeCloud();
});
afterAll(async () => {
  await cloud?.close();
});

beforeEach(async () => {
  worlds += 1;
  secretName = `shared-secret-${worlds}`;
  bucket = `shared-bucket-${worlds}`;
  cloud.createRamSecret(secretName);
  provider = new ManagedCredentialsProvider({ config: cloud.pluginConfig() });
  retried = [];
  provider.on('call-retried', (event) => retried.push(event));
  ecs = managedEcs(cloud, secretName, provider);
  oss = new ProxyOSSClient(cloud.oss.endpoint, secretName, { provider, bucket });
  await oss.putBucket(bucket);
  await ecs.describeInstances(describeRequest());
  cloud.counters.reset();
});
afterEach(async () => {
  await Promise.all([ecs.close(), oss.close()]);
  await provider.close();
});

/** Requests the fake ECS and OSS refused because the key was revoked. */
function rejections(): number {
  return (
    cloud.counters.count({ service: 'ecs', outcome: 'InvalidAccessKeyId.NotFound' }) +
    cloud.counters.count({ service: 'oss', outcome: 'InvalidAccessKeyId' })
  );
}

describe('ECS and OSS clients on one secret', () => {
  it('both succeed after rotation + revoke, with exactly one KMS fetch for the pair', async () => {
    const rotation = cloud.rotate(secretName, { revokeOld: 'now' });
    const [described, listed] = await Promise.all([
      ecs.describeInstances(describeRequest()),
      oss.list({ 'max-keys': 10 }, {}),
    ]);

    expect(described.statusCode).toBe(200);
    expect(listed.res.status).toBe(200);
    expect(kmsFetches(cloud, secretName)).toBe(1);
    expect(cloud.counters.count({ service: 'ecs', outcome: 'InvalidAccessKeyId.NotFound' })).toBe(1);
    expect(cloud.counters.count({ service: 'oss', outcome: 'InvalidAccessKeyId' })).toBe(1);
    expect(retried).toHaveLength(2);
    expect(provider.currentAccessKey(secretName).accessKeyId).toBe(rotation.accessKey.accessKeyId);
    expect(provider.currentAccessKey(secretName).generation).toBe(2);
  });

  it('100 mixed concurrent calls across a rotation all succeed, with one KMS fetch', async () => {
    let answered = 0;
    let rotatedAfter: number | undefined;
    /** Counts answers; the 10th answer rotates the secret and revokes the key the others are using. */
    const settle = <T>(call: Promise<T>): Promise<T> =>
      call.then((value) => {
        answered += 1;
        if (answered === 10) {
          cloud.rotate(secretName, { revokeOld: 'now' });
          rotatedAfter = answered;
        }
        return value;
      });
    const calls = Array.from({ length: 100 }, (_, index) => {
      switch (index % 4) {
        case 0:
          return settle(ecs.describeInstances(describeRequest()).then((r) => r.statusCode));
        case 1:
          return settle(
            oss.put(`mixed/${index}.txt`, Buffer.from(`object ${index}`)).then((r) => r.res.status),
          );
        case 2:
          return settle(
            ecs
              .describeRegions(new $Ecs.DescribeRegionsRequest({ regionId: REGION }))
              .then((r) => r.statusCode),
          );
        default:
          return settle(oss.list({ prefix: 'mixed/', 'max-keys': 5 }, {}).then((r) => r.res.status));
      }
    });

    const statuses = await Promise.all(calls);

    expect(rotatedAfter).toBe(10);
    expect(statuses).toEqual(new Array(100).fill(200));
    // The first fetch was before the counters were reset; the rotation cost exactly one more.
    expect(kmsFetches(cloud, secretName)).toBe(1);
    expect(provider.currentAccessKey(secretName).generation).toBe(2);
    // Every call the cloud refused was retried once with the new key, and nothing else was retried.
    expect(rejections()).toBeGreaterThan(0);
    expect(retried).toHaveLength(rejections());
    expect(retried.every((event) => event.fromGeneration === 1 && event.toGeneration === 2)).toBe(true);
  });
});
