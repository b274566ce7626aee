// @ts-check
/**
 * Promise tax: CPU per `async` function + `await` in two workers that start
 * identical (same SDK clients, same bare calls), measured in alternating
 * blocks before and after one of them loads the plug-in and makes a managed
 * call of each client kind (the other makes the same bare calls once more).
 * Two fresh processes differ by several per cent on their own (JIT, heap
 * layout, CPU placement), more than the 5 % target; so the figure is the
 * treated/control ratio after the switch divided by the same ratio before
 * it (the median of the rounds before): each process is its own baseline.
 */
import { atMost } from '../lib/checks.mjs';
import { calibrate, interleave } from '../lib/interleave.mjs';
import { startWorker } from '../lib/processes.mjs';
import { medianInterval, paired, round } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';

const TARGET_RATIO = 1.05;

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'promiseTax',
  title: 'promise tax: async/await after loading and using the plug-in vs before (control process alongside)',
  async run({ quick, emulator, world }) {
    const plan = quick
      ? { before: 2, after: 2, warmupCalls: 1_000, blockMs: 2, minCalls: 1_000, maxCalls: 1_000 }
      : { before: 40, after: 40, warmupCalls: 300_000, blockMs: 60, minCalls: 10_000, maxCalls: 2_000_000 };
    // Both on the same CPU: which vCPU a process lands on moves its figure by more than the target.
    const [control, treated] = await Promise.all([
      startWorker(workload('promise-tax'), { world, usePlugin: false }, emulator, { cpu: 1 }),
      startWorker(workload('promise-tax'), { world, usePlugin: true }, emulator, { cpu: 1 }),
    ]);
    try {
      const sides = [
        { worker: control, side: 'asyncAwait' },
        { worker: treated, side: 'asyncAwait' },
      ];
      const calls = await calibrate(sides, plan);
      const ratioOf = (
        /** @type {{ cpuNsPerCall: number }} */ c,
        /** @type {{ cpuNsPerCall: number }} */ t,
      ) => t.cpuNsPerCall / c.cpuNsPerCall;
      const [controlBefore = [], treatedBefore = []] = await interleave(sides, {
        rounds: plan.before,
        calls,
      });
      const before = paired(controlBefore, treatedBefore, ratioOf);

      await Promise.all([control.request('task', 'switch'), treated.request('task', 'switch')]);
      // One block each to let the JIT settle on whatever the switch changed; not counted.
      await interleave(sides, { rounds: 1, calls });
      const [controlAfter = [], treatedAfter = []] = await interleave(sides, { rounds: plan.after, calls });
      const after = paired(controlAfter, treatedAfter, ratioOf);
      const tax = medianInterval(after.values.map((ratio) => ratio / before.median));

      const ns = (/** @type {{ cpuNsPerCall: number }[]} */ blocks) =>
        round(medianInterval(blocks.map((b) => b.cpuNsPerCall)).median, 1);
      const show = (/** @type {{ median: number, low: number, high: number }} */ e) =>
        `${round(e.median, 3)} (${round(e.low, 3)} … ${round(e.high, 3)})`;
      return {
        result: {
          callsPerBlock: calls,
          before: { controlNs: ns(controlBefore), treatedNs: ns(treatedBefore), ratio: before },
          after: { controlNs: ns(controlAfter), treatedNs: ns(treatedAfter), ratio: after },
          ratio: tax,
          pinnedToOneCpu: control.pinned && treated.pinned,
        },
        table: {
          'before the switch': {
            'calls/block': calls,
            'control ns': ns(controlBefore),
            'treated ns': ns(treatedBefore),
            'treated / control': show(before),
          },
          'after (treated: plug-in loaded + used)': {
            'calls/block': calls,
            'control ns': ns(controlAfter),
            'treated ns': ns(treatedAfter),
            'treated / control': show(after),
          },
          'promise tax (after / before)': {
            'calls/block': '',
            'control ns': '',
            'treated ns': '',
            'treated / control': show(tax),
          },
        },
        notes: [
          'promise tax = (treated / control after the switch) ÷ (median treated / control before it); ' +
            'the two workers are fresh processes that differ by themselves, which this cancels',
          control.pinned && treated.pinned
            ? 'both workers pinned to CPU 1 (taskset)'
            : 'workers NOT pinned to one CPU (no taskset): the vCPU each lands on can move the figure',
        ],
        checks: [
          atMost('promise tax (async/await, plug-in loaded and used / before)', tax, TARGET_RATIO, {
            digits: 3,
          }),
        ],
      };
    } finally {
      await Promise.all([control.close(), treated.close()]);
    }
  },
};
