// @ts-check
/**
 * 3. Rotation storm: N calls in flight on one client when the key is rotated
 * and the old one revoked. Every call is rejected by the cloud, yet one KMS
 * fetch serves them all (generation-aware single flight) and each is retried
 * once with the new key. Compared with the same burst without rotation.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'managed-credentials-tea-openapi';
import { round, summarize, timed } from './stats.mjs';
import { Ecs, describeRequest, ecsConfig } from './world.mjs';

/**
 * @param {Awaited<ReturnType<typeof import('./world.mjs').startWorld>>} world
 * @param {{ inFlight: number, serverLatencyMs: number }} counts
 */
export async function measureStorm(world, counts) {
  const { cloud, secretName } = world;
  const provider = world.newProvider();
  const client = createClient(ecsConfig(cloud.ecs.endpoint), Ecs, secretName, { provider });
  try {
    await provider.ready([secretName]);
    // The ECS answer (and its signature check) is delayed, so every call is in flight when the key is revoked.
    cloud.faults.ecs.setLatency(counts.serverLatencyMs);
    await burst(client, Math.min(50, counts.inFlight));
    const baseline = await burst(client, counts.inFlight);

    const fetchesBefore = world.kmsFetches();
    const rejectedBefore = cloud.counters.count({ service: 'ecs', outcome: 'InvalidAccessKeyId.NotFound' });
    const storming = burst(client, counts.inFlight);
    await sleep(1);
    cloud.rotate(secretName, { revokeOld: 'now' });
    const storm = await storming;
    const rejected =
      cloud.counters.count({ service: 'ecs', outcome: 'InvalidAccessKeyId.NotFound' }) - rejectedBefore;

    const base = summarize(baseline.times);
    const stormed = summarize(storm.times);
    return {
      inFlight: counts.inFlight,
      serverLatencyMs: counts.serverLatencyMs,
      rejectedByCloud: rejected,
      kmsFetches: world.kmsFetches() - fetchesBefore,
      userVisibleFailures: storm.failures,
      baselineFailures: baseline.failures,
      baseline: base,
      storm: stormed,
      addedP99Ms: round(stormed.p99Ms - base.p99Ms),
    };
  } finally {
    cloud.faults.ecs.setLatency(0);
    await client.close();
    await provider.close();
  }
}

/**
 * Starts `n` DescribeInstances calls at once; their latencies and how many failed.
 * @param {{ describeInstances(request: ReturnType<typeof describeRequest>): Promise<unknown> }} client
 * @param {number} n
 */
async function burst(client, n) {
  let failures = 0;
  const times = await Promise.all(
    Array.from({ length: n }, () =>
      timed(() =>
        client.describeInstances(describeRequest()).catch(() => {
          failures += 1;
        }),
      ),
    ),
  );
  return { times, failures };
}
