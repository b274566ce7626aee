// @ts-check
/** Added heap per client: N clients of each kind on one secret, managed − bare, in a fresh worker. */
import { atMost } from '../lib/checks.mjs';
import { startWorker } from '../lib/processes.mjs';
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
      /** @type {{ id: string, label: string, clients: number, bare: number, managed: number }[]} */
      const kinds = await worker.request('task', 'measure', plan);
      /** @type {Record<string, Record<string, unknown>>} */
      const table = {};
      /** @type {Record<string, unknown>} */
      const result = { clients: plan.clients };
      for (const kind of kinds) {
        const added = kind.managed - kind.bare;
        result[kind.id] = { bare: kind.bare, managed: kind.managed, added };
        table[kind.label] = {
          'bare B/client': kind.bare,
          'managed B/client': kind.managed,
          'added B': added,
        };
      }
      const checks = kinds.map((kind) =>
        atMost(
          `added heap per client, ${kind.label} (${plan.clients} clients)`,
          kind.managed - kind.bare,
          TARGET_BYTES,
          { unit: ' B', digits: 0 },
        ),
      );
      return { result, table, checks };
    } finally {
      await worker.close();
    }
  },
};
