// @ts-check
/**
 * OSS through `ProxyOSSClient`: an ali-oss client built from the NAME of a KMS
 * secret. Every ali-oss operation works as usual; the AccessKey comes from KMS.
 *
 *   node examples/oss-list-put-get.mjs
 *
 * Runs against a local fake cloud. In production the endpoint is e.g.
 * `https://oss-cn-hangzhou.aliyuncs.com` and the properties file in the
 * working directory names your KMS region.
 */
import OSS from 'ali-oss';
import { closeDefaultProvider } from 'managed-credentials';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { startLocalCloud } from './support/local-cloud.mjs';

const BUCKET = 'example-bucket';

const local = await startLocalCloud('my-ram-secret');
process.env['MANAGED_CREDENTIALS_CONFIG_FILE'] = local.writeConfigFile();

try {
  // Before: new OSS({ endpoint, accessKeyId, accessKeySecret, bucket })
  const oss = new ProxyOSSClient(local.cloud.oss.endpoint, 'my-ram-secret', { bucket: BUCKET });
  console.log(`client is an OSS: ${oss instanceof OSS}`);

  await oss.putBucket(BUCKET);
  await oss.put('notes/hello.txt', Buffer.from('hello from managed-credentials'));
  await oss.put('notes/second.txt', Buffer.from('a second object'));

  const listing = await oss.list({ prefix: 'notes/', 'max-keys': 10 }, {});
  console.log(
    `list notes/: ${listing.objects.map((object) => `${object.name} (${object.size} B)`).join(', ')}`,
  );

  const object = await oss.get('notes/hello.txt');
  console.log(`get notes/hello.txt: "${object.content.toString()}"`);

  // A presigned URL anyone can fetch for a minute (V4 signature; signed with the key of the moment).
  const url = await oss.signatureUrlV4('GET', 60, undefined, 'notes/hello.txt');
  const fetched = await fetch(url);
  console.log(`signatureUrlV4: GET -> HTTP ${fetched.status} "${await fetched.text()}"`);

  await oss.close();
} finally {
  await closeDefaultProvider();
  await local.close();
}
