// @ts-check
/**
 * 4. Memory: N managed clients on one secret (they share one cache entry)
 * against N bare clients with a static key; retained heap per client.
 */
import OSS from 'ali-oss';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { createClient } from 'managed-credentials-tea-openapi';
import { round } from './stats.mjs';
import { BUCKET, Ecs, ecsConfig } from './world.mjs';

/**
 * @param {Awaited<ReturnType<typeof import('./world.mjs').startWorld>>} world
 * @param {{ clients: number }} counts
 */
export async function measureMemory(world, counts) {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') return { skipped: 'run node with --expose-gc (pnpm bench does)' };
  const { cloud, secretName } = world;
  const provider = world.newProvider();
  const staticKey = world.staticKey();
  try {
    await provider.getAccessKey(secretName);
    const n = counts.clients;
    const ecs = {
      bare: perClient(gc, n, () => new Ecs(ecsConfig(cloud.ecs.endpoint, staticKey))),
      managed: perClient(gc, n, () =>
        createClient(ecsConfig(cloud.ecs.endpoint), Ecs, secretName, { provider }),
      ),
    };
    const oss = {
      bare: perClient(gc, n, () => new OSS({ endpoint: cloud.oss.endpoint, bucket: BUCKET, ...staticKey })),
      managed: perClient(
        gc,
        n,
        () => new ProxyOSSClient(cloud.oss.endpoint, secretName, { provider, bucket: BUCKET }),
      ),
    };
    return {
      clients: n,
      ecsBytesPerClient: { ...ecs, added: ecs.managed - ecs.bare, ratio: round(ecs.managed / ecs.bare, 2) },
      ossBytesPerClient: { ...oss, added: oss.managed - oss.bare, ratio: round(oss.managed / oss.bare, 2) },
    };
  } finally {
    await provider.close();
  }
}

/**
 * Heap retained per object made by `make`, with `n` of them alive.
 * (Managed clients that are never closed release their claim when collected.)
 * @param {() => void} gc
 * @param {number} n
 * @param {() => object} make
 */
function perClient(gc, n, make) {
  const before = settledHeap(gc);
  /** @type {object[] | undefined} */
  let clients = Array.from({ length: n }, make);
  const after = settledHeap(gc);
  if (clients.length !== n) throw new Error('unreachable');
  clients = undefined;
  settledHeap(gc);
  return Math.round((after - before) / n);
}

/** @param {() => void} gc */
function settledHeap(gc) {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
