// @ts-check
/** ECS through the V1 core SDK `@alicloud/pop-core` (`RPCClient`), wrapped by `managed-credentials-pop-core`. */
import RPCClient from '@alicloud/pop-core';

const API_VERSION = '2014-05-26';

/** @param {import('./index.mjs').Where & { key: { accessKeyId: string, accessKeySecret: string } }} where */
export async function bareFactory({ endpoint, key }) {
  return () => new RPCClient({ endpoint, apiVersion: API_VERSION, ...key });
}

/** @param {import('./index.mjs').Where & { secretName: string, provider: import('managed-credentials').ManagedCredentialsProvider }} where */
export async function managedFactory({ endpoint, secretName, provider }) {
  const { ProxyRPCClient } = await import('managed-credentials-pop-core');
  return () => new ProxyRPCClient({ endpoint, apiVersion: API_VERSION }, secretName, { provider });
}

/** @type {Record<string, import('./index.mjs').Operation>} */
export const operations = {
  get: {
    label: 'pop-core RPC DescribeInstances',
    call: (client) => client.request('DescribeInstances', { RegionId: 'cn-hangzhou', PageSize: 10 }),
  },
};
