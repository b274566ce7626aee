// A strict TypeScript app for a bundler (`moduleResolution: bundler`, skipLibCheck off), types resolved
// through the packages' `import` condition. Its output is ESM that Node runs as is: the OSS rotation.
// (The ECS client's types are checked by the nodenext consumer; bundlers and Node disagree on what the
// default import of a CommonJS SDK is, so an ECS call would not run unbundled.)
import OSS from 'ali-oss';
import { ManagedCredentialsProvider, type RefreshReason } from 'managed-credentials';
import type { CreateClientOptions } from 'managed-credentials-tea-openapi';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { startFakeCloud, type TlsMaterial } from 'managed-credentials-fake-cloud';

/** The adapter's option types resolve in bundler mode too. */
export const options: CreateClientOptions = { maxRetries: 1 };

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
