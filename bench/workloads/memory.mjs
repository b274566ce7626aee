// @ts-check
/**
 * Workload: N clients of each kind alive at once — bare with a static key,
 * and managed on one secret (they share one cache entry) — and the heap each
 * one retains, after full GCs. Needs `--expose-gc` (workers have it).
 */
import { CLIENT_KINDS, loadKind } from '../clients/index.mjs';

/**
 * @param {{ world: import('../lib/processes.mjs').World }} args
 */
export async function setup({ world }) {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('the memory workload needs --expose-gc');
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
  await provider.getAccessKey(world.secretName);
  const { region, bucket, secretName, staticKey: key } = world;
  /** @type {{ id: string, label: string, bare: () => object, managed: () => object }[]} */
  const kinds = [];
  for (const kind of CLIENT_KINDS) {
    const module = await loadKind(kind);
    const endpoint = world.endpoints[kind.service];
    kinds.push({
      id: kind.id,
      label: kind.label,
      bare: await module.bareFactory({ endpoint, region, bucket, key }),
      managed: await module.managedFactory({ endpoint, region, bucket, secretName, provider }),
    });
  }
  return {
    tasks: {
      /**
       * Bytes per client, per kind and side, from `rounds` alternating measurements.
       * @param {{ clients: number, rounds: number, warmup: boolean }} plan
       */
      measure({ clients, rounds, warmup }) {
        return kinds.map((kind) => {
          if (warmup) {
            // First instances build shared structures (hidden classes, the cache entry).
            perClient(gc, 100, kind.bare);
            perClient(gc, 100, kind.managed);
          }
          /** @type {number[]} */ const bare = [];
          /** @type {number[]} */ const managed = [];
          for (let round = 0; round < rounds; round++) {
            if (round % 2 === 0) {
              bare.push(perClient(gc, clients, kind.bare));
              managed.push(perClient(gc, clients, kind.managed));
            } else {
              managed.push(perClient(gc, clients, kind.managed));
              bare.push(perClient(gc, clients, kind.bare));
            }
          }
          return { id: kind.id, label: kind.label, clients, bare, managed };
        });
      },
    },
    close: () => provider.close(),
  };
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
