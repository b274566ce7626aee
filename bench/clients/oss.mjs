// @ts-check
/** OSS through `ali-oss`, 1 KiB objects. */
import OSS from 'ali-oss';

const BODY = Buffer.alloc(1024, 'x');

/** @param {import('./index.mjs').Where & { key: { accessKeyId: string, accessKeySecret: string } }} where */
export async function bareFactory({ endpoint, bucket, key }) {
  return () => new OSS({ endpoint, bucket, ...key });
}

/** @param {import('./index.mjs').Where & { secretName: string, provider: import('managed-credentials').ManagedCredentialsProvider }} where */
export async function managedFactory({ endpoint, bucket, secretName, provider }) {
  const { ProxyOSSClient } = await import('managed-credentials-oss');
  return () => new ProxyOSSClient(endpoint, secretName, { provider, bucket });
}

/** @type {Record<string, import('./index.mjs').Operation>} */
export const operations = {
  get: {
    label: 'OSS get (1 KiB)',
    prepare: (client) => client.put('bench-get.txt', BODY),
    call: (client) => client.get('bench-get.txt'),
  },
  put: {
    label: 'OSS put (1 KiB)',
    call: (client) => client.put('bench-put.txt', BODY),
  },
};
