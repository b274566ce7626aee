// @ts-check
/** ECS through a generated tea-openapi client (`@alicloud/ecs20140526` on `@alicloud/openapi-core`). */
import EcsModule, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';

const Ecs = EcsModule.default;

/**
 * @param {string} endpoint
 * @param {string} region
 * @param {{ accessKeyId?: string, accessKeySecret?: string }} [key]
 * @param {number} [timeoutMs] the SDK's connect and read timeouts, when its defaults are too short (the storm)
 */
function config(endpoint, region, key = {}, timeoutMs) {
  const timeouts = timeoutMs ? { connectTimeout: timeoutMs, readTimeout: timeoutMs } : {};
  return new $OpenApiUtil.Config({
    endpoint: new URL(endpoint).host,
    protocol: 'http',
    regionId: region,
    ...key,
    ...timeouts,
  });
}

/** @param {import('./index.mjs').Where & { key: { accessKeyId: string, accessKeySecret: string } }} where */
export async function bareFactory({ endpoint, region, key }) {
  return () => new Ecs(config(endpoint, region, key));
}

/** @param {import('./index.mjs').Where & { secretName: string, provider: import('managed-credentials').ManagedCredentialsProvider }} where */
export async function managedFactory({ endpoint, region, secretName, provider, timeoutMs }) {
  const { createClient } = await import('managed-credentials-tea-openapi');
  return () => createClient(config(endpoint, region, {}, timeoutMs), Ecs, secretName, { provider });
}

/** @type {Record<string, import('./index.mjs').Operation>} */
export const operations = {
  get: {
    label: 'ECS DescribeInstances',
    call: (client) =>
      client.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', pageSize: 10 })),
  },
};
