// @ts-check
/**
 * Promise tax: CPU per `async` function + `await` in two fresh, identical
 * workers — one without the plug-in, one with it loaded and a managed call
 * of each client kind made — in alternating blocks. Per round: with / without.
 */
import { atMost } from '../lib/checks.mjs';
import { calibrate, interleave } from '../lib/interleave.mjs';
import { startWorker } from '../lib/processes.mjs';
import { paired, round } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';

const TARGET_RATIO = 1.05;

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'promiseTax',
  title: 'promise tax: async/await in a process with the plug-in loaded and used vs without it',
  async run({ quick, emulator, world }) {
    const plan = quick
      ? { rounds: 2, warmupCalls: 1_000, blockMs: 2, minCalls: 1_000, maxCalls: 1_000 }
      : { rounds: 30, warmupCalls: 300_000, blockMs: 60, minCalls: 10_000, maxCalls: 2_000_000 };
    const [without, loaded] = await Promise.all([
      startWorker(workload('promise-tax'), { world, loadPlugin: false }, emulator),
      startWorker(workload('promise-tax'), { world, loadPlugin: true }, emulator),
    ]);
    try {
      const sides = [
        { worker: without, side: 'asyncAwait' },
        { worker: loaded, side: 'asyncAwait' },
      ];
      const calls = await calibrate(sides, plan);
      const [bare = [], withPlugin = []] = await interleave(sides, { rounds: plan.rounds, calls });
      const ratio = paired(bare, withPlugin, (b, w) => w.cpuNsPerCall / b.cpuNsPerCall);
      const bareNs = paired(bare, bare, (b) => b.cpuNsPerCall);
      const withNs = paired(withPlugin, withPlugin, (w) => w.cpuNsPerCall);
      return {
        result: { callsPerBlock: calls, withoutNs: bareNs.median, withNs: withNs.median, ratio },
        table: {
          'async fn + await': {
            'calls/block': calls,
            'without plug-in ns': round(bareNs.median, 1),
            'plug-in loaded + used ns': round(withNs.median, 1),
            ratio: round(ratio.median, 3),
            '90 % interval': `${round(ratio.low, 3)} … ${round(ratio.high, 3)}`,
          },
        },
        checks: [
          atMost('promise tax (async/await, plug-in loaded / not)', ratio, TARGET_RATIO, { digits: 3 }),
        ],
      };
    } finally {
      await Promise.all([without.close(), loaded.close()]);
    }
  },
};
