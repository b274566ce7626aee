// @ts-check
/**
 * 1. Per-call overhead: the same call through the bare SDK client with a
 * static key and through the managed client, against the fake cloud, in
 * alternating blocks. The difference is what the plug-in adds per call (key
 * lookup, proxy, retry wrapper); the network round trip is in both.
 */
import OSS from 'ali-oss';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { createClient } from 'managed-credentials-tea-openapi';
import { compareLoops, round, summarize } from './stats.mjs';
import { BUCKET, Ecs, describeRequest, ecsConfig } from './world.mjs';

/**
 * @param {Awaited<ReturnType<typeof import('./world.mjs').startWorld>>} world
 * @param {{ warmup: number, iterations: number, blocks: number }} counts
 */
export async function measureOverhead(world, counts) {
  const { cloud, secretName } = world;
  const provider = world.newProvider();
  const staticKey = world.staticKey();
  try {
    const bareEcs = new Ecs(ecsConfig(cloud.ecs.endpoint, staticKey));
    const managedEcs = createClient(ecsConfig(cloud.ecs.endpoint), Ecs, secretName, { provider });
    await provider.ready([secretName]);
    const ecs = await compareLoops(
      counts,
      () => bareEcs.describeInstances(describeRequest()),
      () => managedEcs.describeInstances(describeRequest()),
    );
    await managedEcs.close();

    const bareOss = new OSS({ endpoint: cloud.oss.endpoint, bucket: BUCKET, ...staticKey });
    const proxyOss = new ProxyOSSClient(cloud.oss.endpoint, secretName, { provider, bucket: BUCKET });
    await proxyOss.putBucket(BUCKET);
    await proxyOss.put('bench.txt', Buffer.alloc(1024, 'x'));
    const oss = await compareLoops(
      counts,
      () => bareOss.get('bench.txt'),
      () => proxyOss.get('bench.txt'),
    );
    await proxyOss.close();
    return { ecsDescribeInstances: compare(ecs), ossGet: compare(oss) };
  } finally {
    await provider.close();
  }
}

/** @param {{ a: number[], b: number[] }} times */
function compare(times) {
  const bare = summarize(times.a);
  const managed = summarize(times.b);
  return {
    bare,
    managed,
    medianRatio: round(managed.medianMs / bare.medianMs, 2),
    p99Ratio: round(managed.p99Ms / bare.p99Ms, 2),
  };
}
