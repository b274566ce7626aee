// @ts-check
/**
 * Workload: a rotation storm. N calls started at once on one managed ECS
 * client; the key is rotated and the old one revoked the moment the first of
 * them reaches the server (all were signed with the old key): every call is rejected by
 * the cloud, yet one KMS fetch serves them all (generation-aware single
 * flight) and each is retried once with the new key. Compared with the same
 * burst without rotation; the round trips that bound the added p99 are
 * measured here too.
 */
import { CLIENT_KINDS, loadKind } from '../clients/index.mjs';
import { quantile, round, summarize, timed } from '../lib/stats.mjs';

/**
 * @param {{ world: import('../lib/processes.mjs').World }} args
 * @param {(method: string, ...args: unknown[]) => Promise<any>} control
 */
export async function setup({ world }, control) {
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
  const ecsKind = CLIENT_KINDS.find((kind) => kind.id === 'ecs');
  if (!ecsKind) throw new Error('the storm runs on the ecs client kind');
  const module = await loadKind(ecsKind);
  const { region, bucket, secretName } = world;
  const endpoint = world.endpoints.ecs;
  // The SDK's own timeouts would turn a slow, busy machine into failures that say nothing about rotation.
  const timeoutMs = 120_000;
  const client = (
    await module.managedFactory({ endpoint, region, bucket, secretName, provider, timeoutMs })
  )();
  const call = /** @type {import('../clients/index.mjs').Operation} */ (module.operations['get']).call;
  await provider.ready([secretName]);
  await call(client);

  /** @param {number} n */
  async function burst(n) {
    /** @type {Record<string, number>} */
    const failed = {};
    const times = await Promise.all(
      Array.from({ length: n }, () =>
        timed(() =>
          call(client).catch((/** @type {{ code?: unknown, name?: unknown }} */ error) => {
            const reason = String(error?.code ?? error?.name ?? 'unknown');
            failed[reason] = (failed[reason] ?? 0) + 1;
          }),
        ),
      ),
    );
    return { times, failures: Object.values(failed).reduce((sum, count) => sum + count, 0), failed };
  }

  /** @param {number} samples @param {() => Promise<unknown>} op */
  async function medianMs(samples, op) {
    /** @type {number[]} */
    const times = [];
    for (let i = 0; i < samples; i++) times.push(await timed(op));
    return round(quantile(times, 0.5));
  }

  return {
    tasks: {
      /** @param {{ inFlight: number, serverLatencyMs: number }} plan */
      async run({ inFlight, serverLatencyMs }) {
        const kmsRoundTripMs = await medianMs(9, () => provider.refreshSecret(secretName));
        // The ECS answer (and its signature check) is delayed, so every call is in flight when the key is revoked.
        await control('setLatency', 'ecs', serverLatencyMs);
        try {
          const businessRoundTripMs = await medianMs(5, () => call(client));
          await burst(Math.min(50, inFlight));
          const baseline = await burst(inFlight);

          const fetchesBefore = await control('kmsFetches');
          const rejectedFilter = { service: 'ecs', outcome: 'InvalidAccessKeyId.NotFound' };
          const rejectedBefore = await control('count', rejectedFilter);
          await control('rotateOnNextEcsRequest');
          const storm = await burst(inFlight);
          const rejected = (await control('count', rejectedFilter)) - rejectedBefore;
          const kmsFetches = (await control('kmsFetches')) - fetchesBefore;
          const base = summarize(baseline.times);
          const stormed = summarize(storm.times);
          return {
            inFlight,
            serverLatencyMs,
            rejectedByCloud: rejected,
            kmsFetches,
            userVisibleFailures: storm.failures,
            failureReasons: storm.failed,
            baselineFailures: baseline.failures,
            baselineFailureReasons: baseline.failed,
            baseline: base,
            storm: stormed,
            addedP99Ms: round(stormed.p99Ms - base.p99Ms),
            businessRoundTripMs,
            kmsRoundTripMs,
          };
        } finally {
          await control('setLatency', 'ecs', 0);
        }
      },
    },
    async close() {
      await /** @type {{ close?: () => Promise<void> }} */ (client).close?.();
      await provider.close();
    },
  };
}
