/**
 * Issue 16 (SPEC §1): the Secrets Manager Client's reads and the RAM secret
 * plug-in's adapters on one provider share one cache. A RAM secret read with
 * `getSecretInfo` and used by an ECS and an OSS client costs ONE KMS fetch —
 * also after a rotation that revokes the old key — and a database secret on
 * the same provider is served next to it.
 */
import { ManagedCredentialsProvider } from 'managed-credentials';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRequest, kmsFetches, managedEcs } from './support/e2e.js';

let cloud: FakeCloud;
beforeAll(async () => {
  cloud = await startFakeCloud();
});
afterAll(async () => {
  await cloud?.close();
});

describe('secret reads and adapter clients on one provider', () => {
  it('a RAM secret read as info and used by ECS and OSS clients costs one KMS fetch, rotation one more', async () => {
    cloud.createRamSecret('typed-ram');
    cloud.createRdsSecret('typed-db');
    const provider = new ManagedCredentialsProvider({ config: cloud.pluginConfig() });
    const ecs = managedEcs(cloud, 'typed-ram', provider);
    const oss = new ProxyOSSClient(cloud.oss.endpoint, 'typed-ram', { provider, bucket: 'typed-bucket' });
    try {
      const info = await provider.getSecretInfo('typed-ram');
      await oss.putBucket('typed-bucket');
      await ecs.describeInstances(describeRequest());
      const { AccessKeyId } = JSON.parse(info.secretValue) as { AccessKeyId: string };
      expect(AccessKeyId).toBe(provider.currentAccessKey('typed-ram').accessKeyId);
      expect(kmsFetches(cloud, 'typed-ram')).toBe(1);

      // The key is rotated and revoked: the clients' rejections refresh the shared entry once,
      // and the secret readers see the new version from it without another fetch.
      const rotation = cloud.rotate('typed-ram', { revokeOld: 'now' });
      await Promise.all([ecs.describeInstances(describeRequest()), oss.list({ 'max-keys': 1 }, {})]);
      expect((await provider.getSecretInfo('typed-ram')).versionId).toBe(rotation.versionId);
      expect(kmsFetches(cloud, 'typed-ram')).toBe(2);

      const db = JSON.parse(await provider.getSecretValue('typed-db')) as Record<string, string>;
      expect(Object.keys(db).sort()).toEqual(['AccountName', 'AccountPassword']);
      expect(kmsFetches(cloud, 'typed-db')).toBe(1);
    } finally {
      await Promise.all([ecs.close(), oss.close()]);
      await provider.close();
    }
  });
});
