// @ts-check
/** The shared set-up of the benchmarks: a fake cloud, a RAM secret, a provider reading it, SDK classes. */
import EcsModule, * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { ManagedCredentialsProvider } from 'managed-credentials';
import { startFakeCloud } from 'managed-credentials-fake-cloud';

export const Ecs = EcsModule.default;
export { $Ecs };
export const REGION = 'cn-hangzhou';
export const BUCKET = 'bench-bucket';

/**
 * ECS client config pointing at the fake cloud (tea-openapi takes the host, scheme via `protocol`).
 * @param {string} endpoint
 * @param {{ accessKeyId?: string, accessKeySecret?: string }} [key]
 */
export function ecsConfig(endpoint, key = {}) {
  return new $OpenApiUtil.Config({
    endpoint: new URL(endpoint).host,
    protocol: 'http',
    regionId: REGION,
    ...key,
  });
}

export function describeRequest() {
  return new $Ecs.DescribeInstancesRequest({ regionId: REGION, pageSize: 10 });
}

/**
 * Starts a fake cloud with one RAM secret.
 * @param {string} secretName
 */
export async function startWorld(secretName) {
  const cloud = await startFakeCloud();
  cloud.createRamSecret(secretName);
  const config = cloud.pluginConfig({ regionId: REGION });
  /** A fresh provider on this cloud (each benchmark closes its own). */
  const newProvider = () => new ManagedCredentialsProvider({ config });
  /** GetSecretValue requests KMS served for the secret so far. */
  const kmsFetches = () => cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName });
  /** The secret's current AccessKey as a plain pair: the static key the bare SDK clients are given. */
  const staticKey = () => {
    const key = cloud.currentAccessKey(secretName);
    if (!key) throw new Error('the bench secret has no key');
    return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
  };
  return { cloud, secretName, newProvider, kmsFetches, staticKey };
}
