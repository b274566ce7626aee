// @ts-check
/**
 * Added heap per client: N clients of each kind on one secret, managed − bare,
 * in a fresh worker; 3 alternating rounds (their spread is the interval).
 */
import { atMost } from '../lib/checks.mjs';
import { startWorker } from '../lib/processes.mjs';
import { medianInterval, paired } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';

const TARGET_BYTES = 400;

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'memory',
  title: 'memory: retained heap per client, N clients on one secret (--expose-gc)',
  async run({ quick, emulator, world }) {
    const plan = quick
      ? { clients: 50, rounds: 1, warmup: false }
      : { clients: 10_000, rounds: 3, warmup: true };
    const worker = await startWorker(workload('memory'), { world }, emulator);
    try {
      /** @type {{ id: string, label: string, clients: number, bare: number[], managed: number[] }[]} */
      const kinds = await worker.request('task', 'measure', plan);
      /** @type {Record<string, Record<string, unknown>>} */
      const table = {};
      /** @type {Record<string, unknown>} */
      const result = { clients: plan.clients };
      /** @type {import('../lib/checks.mjs').Check[]} */
      const checks = [];
      for (const kind of kinds) {
        const added = paired(kind.bare, kind.managed, (b, m) => m - b);
        const bare = medianInterval(kind.bare).median;
        const managed = medianInterval(kind.managed).median;
        result[kind.id] = { bare, managed, added };
        table[kind.label] = { 'bare B/client': bare, 'managed B/client': managed, 'added B': added.median };
        checks.push(
          atMost(`added heap per client, ${kind.label} (${plan.clients} clients)`, added, TARGET_BYTES, {
            unit: ' B',
            digits: 0,
          }),
        );
      }
      return { result, table, checks };
    } finally {
      await worker.close();
    }
  },
};
