// @ts-check
/**
 * Configuration in code, no properties file: build a provider from the same
 * keys (values are strings, as in the file) and hand it to the clients. Use
 * this when the settings come from your own config system.
 *
 *   node examples/programmatic-config.mjs
 */
import EcsModule, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { ManagedCredentialsProvider } from 'managed-credentials';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { createClient } from 'managed-credentials-tea-openapi';
import { REGION, hostOf, maskKeyId, startLocalCloud } from './support/local-cloud.mjs';

const Ecs = EcsModule.default;
const local = await startLocalCloud('my-ram-secret');
const { cloud } = local;
const kmsCaller = {
  id: local.config['credentials_access_key_id'],
  secret: local.config['credentials_access_secret'],
};

const provider = new ManagedCredentialsProvider({
  config: {
    credentials_type: 'ak',
    credentials_access_key_id: kmsCaller.id,
    credentials_access_secret: kmsCaller.secret,
    cache_client_region_id: JSON.stringify([{ regionId: REGION, endpoint: cloud.kms.endpoint }]),
    // Refresh at least every 30 minutes (the secret's own rotation schedule may refresh sooner).
    refresh_secret_ttl: String(30 * 60_000),
    secret_names: 'my-ram-secret',
  },
});

try {
  // Waits for the prefetch of `secret_names`: after this, no first call waits for KMS.
  await provider.ready();
  console.log(`ready: key ${maskKeyId(provider.currentAccessKey('my-ram-secret').accessKeyId)}`);

  // Both clients share the provider's one cache entry for the secret.
  const ecs = createClient(
    new $OpenApiUtil.Config({ endpoint: hostOf(cloud.ecs.endpoint), protocol: 'http', regionId: REGION }),
    Ecs,
    'my-ram-secret',
    { provider, maxRetries: 1 },
  );
  const oss = new ProxyOSSClient(cloud.oss.endpoint, 'my-ram-secret', { provider, bucket: 'programmatic' });

  const described = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION }));
  console.log(`ECS DescribeInstances: ${described.body?.totalCount} instance(s)`);
  await oss.putBucket('programmatic');
  // ali-oss resolves `{ buckets, owner, … }`; @types/ali-oss says Bucket[], hence the cast.
  const listed = /** @type {{ buckets?: { name: string }[] }} */ (
    /** @type {unknown} */ (await oss.listBuckets({}))
  );
  console.log(`OSS ListBuckets: ${listed.buckets?.map((bucket) => bucket.name).join(', ')}`);

  const fetches = cloud.counters.count({
    service: 'kms',
    action: 'GetSecretValue',
    secretName: 'my-ram-secret',
  });
  console.log(`KMS fetches for two clients: ${fetches}`);
  await ecs.close();
  await oss.close();
} finally {
  await provider.close();
  await local.close();
}
