// A strict TypeScript app for a bundler (`moduleResolution: bundler`, skipLibCheck off). Its output is ESM
// that Node runs as is: the OSS rotation runs; the ECS client is checked by the compiler only, because
// bundlers and Node disagree on what the default import of a CommonJS SDK is.
import type Ecs from '@alicloud/ecs20140526';
import type * as $Ecs from '@alicloud/ecs20140526';
import type { $OpenApiUtil } from '@alicloud/openapi-core';
import OSS from 'ali-oss';
import { ManagedCredentialsProvider, type RefreshReason } from 'managed-credentials';
import type { ManagedClient } from 'managed-credentials-tea-openapi';
import { createClient } from 'managed-credentials-tea-openapi';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { startFakeCloud, type TlsMaterial } from 'managed-credentials-fake-cloud';

/** Compiled, never called: the ECS client keeps every method typed. */
export function typedEcs(
  config: $OpenApiUtil.Config,
  EcsClass: typeof Ecs,
): Promise<$Ecs.DescribeInstancesResponse> {
  const ecs: ManagedClient<typeof Ecs> = createClient(config, EcsClass, 'ts-secret');
  return ecs.describeInstances({ regionId: 'cn-hangzhou' } as $Ecs.DescribeInstancesRequest);
}

const tls = JSON.parse(process.env['PACKAGING_TLS'] ?? '{}') as TlsMaterial;
const cloud = await startFakeCloud({ tls });
try {
  cloud.createRamSecret('ts-secret');
  const provider = new ManagedCredentialsProvider({ config: { ...cloud.pluginConfig() } });
  const reasons: RefreshReason[] = [];
  provider.on('refreshed', (event) => reasons.push(event.reason));
  const oss = new ProxyOSSClient(cloud.oss.endpoint, 'ts-secret', { provider, bucket: 'ts-bucket' });
  await oss.putBucket('ts-bucket');
  const before: OSS.PutObjectResult = await oss.put('before.txt', Buffer.from('ts-bundler'));
  const oldKey = cloud.currentAccessKey('ts-secret')?.accessKeyId ?? '';
  cloud.rotate('ts-secret', { revokeOld: 'now' });
  const listed: OSS.ListObjectResult = await oss.list({ 'max-keys': 10 }, {});
  const got = await oss.get(before.name);
  await oss.close();
  await provider.close();
  process.stdout.write(
    JSON.stringify({
      loader: 'ts-bundler',
      instanceOfOss: oss instanceof OSS,
      objects: listed.objects.map((object) => object.name),
      body: String(got.content),
      oldKeyRevoked: cloud.accessKeyStatus(oldKey) === 'revoked',
      refreshReasons: reasons,
    }),
  );
} finally {
  await cloud.close();
}
