// A strict TypeScript app in a CommonJS package (`module: nodenext`, skipLibCheck off): the types of every
// package resolve and check, and the compiled require() calls go through the rotation.
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import OSS from 'ali-oss';
import { ManagedCredentialsProvider, type RefreshReason } from 'managed-credentials';
import { createClient } from 'managed-credentials-tea-openapi';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { startFakeCloud, type TlsMaterial } from 'managed-credentials-fake-cloud';

async function main(): Promise<void> {
  const tls: TlsMaterial = JSON.parse(process.env['PACKAGING_TLS'] ?? '{}') as TlsMaterial;
  const cloud = await startFakeCloud({ tls });
  try {
    cloud.createRamSecret('ts-secret');
    const provider = new ManagedCredentialsProvider({ config: { ...cloud.pluginConfig() } });
    const reasons: RefreshReason[] = [];
    provider.on('refreshed', (event) => reasons.push(event.reason));
    const config = new $OpenApiUtil.Config({
      endpoint: new URL(cloud.ecs.endpoint).host,
      protocol: 'http',
      regionId: 'cn-hangzhou',
    });
    const ecs: Ecs = createClient(config, Ecs, 'ts-secret', { provider });
    const oss = new ProxyOSSClient(cloud.oss.endpoint, 'ts-secret', { provider, bucket: 'ts-bucket' });
    const describe = async (): Promise<string | undefined> => {
      const response: $Ecs.DescribeInstancesResponse = await ecs.describeInstances(
        new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }),
      );
      return response.body?.instances?.instance?.[0]?.instanceId;
    };

    const before = await describe();
    await oss.putBucket('ts-bucket');
    const put: OSS.PutObjectResult = await oss.put('hello.txt', Buffer.from('ts-nodenext'));
    const oldKey = cloud.currentAccessKey('ts-secret')?.accessKeyId ?? '';
    cloud.rotate('ts-secret', { revokeOld: 'now' });
    const after = await describe();
    const got: OSS.GetObjectResult = await oss.get(put.name);
    await oss.close();
    await provider.close();
    process.stdout.write(
      JSON.stringify({
        loader: 'ts-nodenext',
        instanceOfEcs: ecs instanceof Ecs,
        instanceOfOss: oss instanceof OSS,
        instanceIds: [before, after],
        body: String(got.content),
        oldKeyRevoked: cloud.accessKeyStatus(oldKey) === 'revoked',
        refreshReasons: reasons,
      }),
    );
  } finally {
    await cloud.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
