// @ts-check
/**
 * Wrapper CPU per call, with the SDKs' transport stubbed (real SDK code, no
 * network): the bare and the managed client of each operation take turns in
 * blocks, in one worker where the plug-in is loaded and a managed call was
 * made. Per round: managed − bare CPU time per call. The cheapest operation
 * also runs a third side with the core's planted 2 µs delay (self-check: the
 * figure must rise by it, or the bench cannot see what it claims).
 */
import { atMost, within } from '../lib/checks.mjs';
import { calibrate, interleave } from '../lib/interleave.mjs';
import { startWorker } from '../lib/processes.mjs';
import { paired, round } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';

const PLANTED_NS = 2_000;
const TARGET_US = 1;

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'wrapperCpu',
  title: 'wrapper CPU per call, SDK transport stubbed (real SDK code, no network)',
  async run({ quick, emulator, world }) {
    const plan = quick
      ? { rounds: 2, warmupCalls: 20, blockMs: 5, minCalls: 5, maxCalls: 20 }
      : { rounds: 30, warmupCalls: 1_500, blockMs: 120, minCalls: 50, maxCalls: 20_000 };
    const worker = await startWorker(workload('client-calls'), { world, transport: 'stub' }, emulator);
    try {
      /** @type {{ operations: { id: string, label: string }[] }} */
      const { operations } = worker.info;
      /** @type {Record<string, unknown>} */
      const result = {};
      /** @type {Record<string, Record<string, unknown>>} */
      const table = {};
      /** @type {import('../lib/checks.mjs').Check[]} */
      const checks = [];
      const pairOf = (/** @type {string} */ id) => [
        { worker, side: `${id}.bare` },
        { worker, side: `${id}.managed` },
      ];
      // Warm every operation up first; the self-check runs on the cheapest (most calls per block), where
      // the noise around a 2 µs rise is smallest.
      /** @type {number[]} */
      const callsPerBlock = [];
      for (const operation of operations) callsPerBlock.push(await calibrate(pairOf(operation.id), plan));
      const selfCheckIndex = callsPerBlock.indexOf(Math.max(...callsPerBlock));
      for (const [index, operation] of operations.entries()) {
        /** @type {import('../lib/interleave.mjs').Side[]} */
        const sides = pairOf(operation.id);
        const selfCheck = index === selfCheckIndex;
        if (selfCheck) sides.push({ worker, side: `${operation.id}.managed`, plantedDelayNs: PLANTED_NS });
        const calls = callsPerBlock[index] ?? plan.minCalls;
        const [bare = [], managed = [], planted = []] = await interleave(sides, {
          rounds: plan.rounds,
          calls,
        });
        const us = (/** @type {number} */ ns) => ns / 1000;
        const added = paired(bare, managed, (b, m) => us(m.cpuNsPerCall - b.cpuNsPerCall));
        const bareUs = paired(bare, bare, (b) => us(b.cpuNsPerCall));
        result[operation.id] = { callsPerBlock: calls, bareUs: bareUs.median, addedUs: added };
        table[operation.label] = {
          'calls/block': calls,
          'bare µs/call': round(bareUs.median, 1),
          'added µs/call': round(added.median, 2),
          '90 % interval': `${round(added.low, 2)} … ${round(added.high, 2)}`,
        };
        checks.push(atMost(`wrapper CPU per call, ${operation.label}`, added, TARGET_US, { unit: ' µs' }));
        if (selfCheck) {
          const rise = paired(managed, planted, (m, p) => us(p.cpuNsPerCall - m.cpuNsPerCall));
          const withPlanted = paired(bare, planted, (b, p) => us(p.cpuNsPerCall - b.cpuNsPerCall));
          result['selfCheck'] = { operation: operation.id, plantedNs: PLANTED_NS, riseUs: rise, withPlanted };
          table[`${operation.label} + planted 2 µs delay`] = {
            'calls/block': calls,
            'bare µs/call': '',
            'added µs/call': round(withPlanted.median, 2),
            '90 % interval': `${round(withPlanted.low, 2)} … ${round(withPlanted.high, 2)}`,
          };
          checks.push(
            within(`self-check: planted 2 µs delay seen in ${operation.label}`, rise, [1.5, 2.5], {
              unit: ' µs',
              target: 'rise ≈ 2 µs (1.5 … 2.5)',
            }),
          );
        }
      }
      // Load inflates CPU time (a busy machine charges more CPU for the same work): the same 2 µs
      // busy-wait run directly, for scale.
      const [reference = []] = await interleave([{ worker, side: 'reference.busyWait2us' }], {
        rounds: quick ? 1 : 10,
        calls: quick ? 100 : 10_000,
      });
      const referenceUs = paired(reference, reference, (r) => r.cpuNsPerCall / 1000).median;
      result['busyWait2usCpuUs'] = referenceUs;
      const notes = [
        `for scale: a bare 2 µs busy-wait costs ${referenceUs.toFixed(2)} µs of CPU in this worker`,
      ];
      return { result, table, checks, notes };
    } finally {
      await worker.close();
    }
  },
};
