// @ts-check
/**
 * Loopback ratio: the bare and the managed client of each operation against
 * fake-cloud (its own process) over 127.0.0.1, in alternating blocks, in one
 * worker where the plug-in is loaded and a managed call was made. Per round:
 * the managed block's median latency / the bare block's.
 */
import { atMost } from '../lib/checks.mjs';
import { calibrate, interleave } from '../lib/interleave.mjs';
import { startWorker } from '../lib/processes.mjs';
import { paired, round } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';

const TARGET_RATIO = 1.01;

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'loopback',
  title: 'loopback: median latency managed / bare (fake cloud in its own process, 127.0.0.1)',
  async run({ quick, emulator, world }) {
    const plan = quick
      ? { rounds: 2, warmupCalls: 10, blockMs: 5, minCalls: 5, maxCalls: 10 }
      : { rounds: 30, warmupCalls: 150, blockMs: 100, minCalls: 20, maxCalls: 2_000 };
    const worker = await startWorker(workload('client-calls'), { world, transport: 'loopback' }, emulator);
    try {
      /** @type {{ operations: { id: string, label: string }[] }} */
      const { operations } = worker.info;
      /** @type {Record<string, unknown>} */
      const result = {};
      /** @type {Record<string, Record<string, unknown>>} */
      const table = {};
      /** @type {import('../lib/checks.mjs').Check[]} */
      const checks = [];
      for (const operation of operations) {
        const sides = [
          { worker, side: `${operation.id}.bare` },
          { worker, side: `${operation.id}.managed` },
        ];
        const calls = await calibrate(sides, plan);
        const [bare = [], managed = []] = await interleave(sides, {
          rounds: plan.rounds,
          calls,
          timeEach: true,
        });
        const ms = (/** @type {import('../lib/worker.mjs').BlockResult} */ block) =>
          block.medianMs ?? Number.NaN;
        const ratio = paired(bare, managed, (b, m) => ms(m) / ms(b));
        const bareMs = paired(bare, bare, ms);
        const managedMs = paired(managed, managed, ms);
        result[operation.id] = {
          callsPerBlock: calls,
          bareMs: bareMs.median,
          managedMs: managedMs.median,
          ratio,
        };
        table[operation.label] = {
          'calls/block': calls,
          'bare median ms': round(bareMs.median, 3),
          'managed median ms': round(managedMs.median, 3),
          'ratio managed / bare': round(ratio.median, 3),
          '90 % interval': `${round(ratio.low, 3)} … ${round(ratio.high, 3)}`,
        };
        checks.push(
          atMost(`loopback median ratio managed / bare, ${operation.label}`, ratio, TARGET_RATIO, {
            digits: 3,
          }),
        );
      }
      return { result, table, checks };
    } finally {
      await worker.close();
    }
  },
};
