// @ts-check
/**
 * Wrapper CPU per call, with the SDKs' transport stubbed (real SDK code, no
 * network). Bare and managed client of each operation run in lockstep — one
 * call each, alternating A B, B A — in blocks that no scavenge cuts into (see
 * `runLockstep` in lib/worker.mjs); per block, the trimmed mean of the paired
 * per-call differences. Several fresh workers take part, because a process's
 * JIT decisions shift the figure by more than the noise inside one process;
 * the figure is the median over all their blocks.
 *
 * Two control pairs per client kind say what the bench can resolve: bare
 * against itself (must be ≈ 0), and the managed client against itself with the
 * core's planted 2 µs delay. The self-check pools every kind's rise: it must be
 * ≈ 2 µs, or the bench cannot see what it claims.
 */
import { atMost, within } from '../lib/checks.mjs';
import { calibrateBlock, lockstep } from '../lib/interleave.mjs';
import { BLOCK_ALLOCATION_BUDGET, startWorker, WHOLE_BLOCK_YOUNG_GENERATION } from '../lib/processes.mjs';
import { medianInterval, round } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';
import { CLIENT_KINDS } from '../clients/index.mjs';

const PLANTED_NS = 2_000;
/** At most this many times `rounds` for a row whose blocks the garbage budget cut short. */
const MAX_ROUNDS_FACTOR = 4;
const TARGET_US = 1;
/** Sides of the breakdown rows (see workloads/client-calls.mjs), figures without a target. */
const BREAKDOWN = [
  { side: 'forwardingProxy', label: 'a Proxy that only forwards each call (no core)' },
  { side: 'coreAroundBare', label: "the core's callWithAccessKey around the bare call (no Proxy)" },
];

/**
 * @typedef {import('../lib/worker.mjs').BlockResult} BlockResult
 * @typedef {{ id: string, kind: string, label: string }} Operation
 */

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'wrapperCpu',
  title: 'wrapper CPU per call, SDK transport stubbed (real SDK code, no network)',
  async run({ quick, emulator, world }) {
    const plan = quick
      ? { workers: 1, rounds: 2, warmupCalls: 20, blockMs: 5, minCalls: 5, maxCalls: 20 }
      : {
          workers: 8,
          rounds: 6,
          warmupCalls: 1_500,
          blockMs: 100,
          minCalls: 50,
          maxCalls: 20_000,
          // Two sides share a lockstep block's young generation.
          allocationBudget: BLOCK_ALLOCATION_BUDGET / 2,
        };
    /** @type {Operation[]} */
    let operations = [];
    /** Per figure id: the added µs per call of every block, over all workers. */
    /** @type {Map<string, number[]>} */
    const added = new Map();
    /** @type {Map<string, number[]>} */
    const bareCost = new Map();
    /** @type {Map<string, number[]>} */
    const garbage = new Map();
    /** @type {Map<string, number[]>} */
    const plantAlone = new Map();
    let blocksCutByScavenge = 0;
    const keep = (
      /** @type {Map<string, number[]>} */ map,
      /** @type {string} */ id,
      /** @type {number} */ v,
    ) => map.set(id, [...(map.get(id) ?? []), v]);

    // Each client kind in workers of its own: a process that also holds the other SDKs ran a kind's calls
    // about a third slower, with intervals several times as wide. The controls run in the first kind's.
    const workerKinds = CLIENT_KINDS.flatMap((kind, k) =>
      Array.from({ length: plan.workers }, () => ({ kind: kind.id, withControls: k === 0 })),
    );
    for (const { kind, withControls } of workerKinds) {
      const worker = await startWorker(
        workload('client-calls'),
        { world, transport: 'stub', kinds: [kind] },
        emulator,
        { v8Flags: WHOLE_BLOCK_YOUNG_GENERATION },
      );
      try {
        /** @type {Operation[]} */
        const workerOperations = worker.info.operations;
        for (const operation of workerOperations)
          if (!operations.some((known) => known.id === operation.id)) operations.push(operation);
        /** @type {{ id: string, sides: import('../lib/interleave.mjs').Side[] }[]} */
        const pairs = [];
        for (const operation of workerOperations) {
          pairs.push({
            id: operation.id,
            sides: [
              { worker, side: `${operation.id}.bare` },
              { worker, side: `${operation.id}.managed` },
            ],
          });
        }
        // The controls run in every worker, on its kind's first operation: bare against bare, and the
        // self-check. Both sides of the self-check take the planted branch (1 ns: next to no work), so the rise
        // is the 2 µs of work alone, not also the first touch of code that only the planted side would run.
        const control = workerOperations[0]?.id ?? '';
        pairs.push({
          id: `control.bareAgainstBare.${control}`,
          sides: [
            { worker, side: `${control}.bare` },
            { worker, side: `${control}.bare` },
          ],
        });
        pairs.push({
          id: `control.plantedRise.${control}`,
          sides: [
            { worker, side: `${control}.managed`, plantedDelayNs: 1 },
            { worker, side: `${control}.managed`, plantedDelayNs: PLANTED_NS + 1 },
          ],
        });
        if (withControls) {
          // Where the managed figure goes: each half of the wrapper alone, around the bare client.
          for (const part of BREAKDOWN)
            pairs.push({
              id: `breakdown.${part.side}`,
              sides: [
                { worker, side: `${control}.bare` },
                { worker, side: `${control}.${part.side}` },
              ],
            });
          // For scale: what the planted 2 µs of work is charged in this worker outside an SDK call (the core
          // around an attempt that does nothing). CPU time swells on a busy host; this shows by how much.
          const [, reference = []] = await lockstep(
            [
              { worker, side: 'reference.coreAroundNothing', plantedDelayNs: 1 },
              { worker, side: 'reference.coreAroundNothing', plantedDelayNs: PLANTED_NS + 1 },
            ],
            { rounds: quick ? 1 : 3, calls: quick ? 100 : 5_000 },
          );
          for (const block of reference)
            keep(plantAlone, 'reference', (block.addedCpuNsPerCall ?? Number.NaN) / 1000);
        }
        // Every side warms up before any is measured: the first pair would otherwise run while the JIT is
        // still compiling the SDK, and the compiler threads' CPU is charged to the calls (its bare side cost
        // ~1.7× the later rows' in one run, and its figure swung by µs).
        for (const pair of pairs) await calibrateBlock(pair.sides, plan);
        for (const pair of pairs) {
          const calibration = await calibrateBlock(pair.sides, plan);
          // An operation whose garbage cuts its blocks short (ECS: ~70 KB per call, a quarter of a 100 ms block)
          // runs as many more rounds, so each row pools about the same number of calls.
          const [bare = [], managed = []] = await lockstep(pair.sides, {
            rounds: plan.rounds * Math.min(MAX_ROUNDS_FACTOR, calibration.blocksPerBlockMs),
            calls: calibration.calls,
          });
          managed.forEach((block, i) => {
            keep(added, pair.id, (block.addedCpuNsPerCall ?? Number.NaN) / 1000);
            keep(bareCost, pair.id, (bare[i]?.cpuNsPerCall ?? Number.NaN) / 1000);
          });
          keep(garbage, pair.id, (calibration.bytesPerCall[1] ?? 0) - (calibration.bytesPerCall[0] ?? 0));
          blocksCutByScavenge += managed.filter((block) => block.scavengesInBlock > 0).length;
        }
      } finally {
        await worker.close();
      }
    }

    /** @type {Record<string, unknown>} */
    const result = { workers: plan.workers, roundsPerWorker: plan.rounds, blocksCutByScavenge };
    /** @type {Record<string, Record<string, unknown>>} */
    const table = {};
    /** @type {import('../lib/checks.mjs').Check[]} */
    const checks = [];
    const row = (/** @type {string} */ id, /** @type {string} */ label) => {
      const estimate = medianInterval(added.get(id) ?? []);
      const bareUs = medianInterval(bareCost.get(id) ?? []).median;
      const bytes = medianInterval(garbage.get(id) ?? []).median;
      result[id] = { addedUs: estimate, bareUs, addedBytesPerCall: bytes };
      table[label] = {
        'bare µs/call': round(bareUs, 1),
        'added µs/call': round(estimate.median, 2),
        '90 % interval': `${round(estimate.low, 2)} … ${round(estimate.high, 2)}`,
        'added B/call': Math.round(bytes),
      };
      return estimate;
    };
    for (const operation of operations) {
      const estimate = row(operation.id, operation.label);
      checks.push(atMost(`wrapper CPU per call, ${operation.label}`, estimate, TARGET_US, { unit: ' µs' }));
    }
    // The controls of each kind (its first operation), then the self-check over all of them: whether the bench
    // sees 2 µs in its CPU figures, not in one SDK's only (each kind's own rise is printed too).
    const controlOperations = operations.filter(
      (operation, i) => operations.findIndex((other) => other.kind === operation.kind) === i,
    );
    for (const operation of controlOperations) {
      row(`control.bareAgainstBare.${operation.id}`, `control: ${operation.label}, bare against bare (≈ 0)`);
      row(
        `control.plantedRise.${operation.id}`,
        `control: ${operation.label}, managed + planted 2 µs against managed`,
      );
    }
    added.set(
      'control.plantedRise',
      controlOperations.flatMap((operation) => added.get(`control.plantedRise.${operation.id}`) ?? []),
    );
    const rise = row('control.plantedRise', 'self-check: the planted 2 µs, all kinds pooled');
    checks.push(
      within('self-check: planted 2 µs delay seen in the CPU figures (all kinds pooled)', rise, [1.5, 2.5], {
        unit: ' µs',
        target: 'rise ≈ 2 µs (1.5 … 2.5)',
      }),
    );
    const controlLabel = operations[0]?.label ?? '';
    for (const part of BREAKDOWN) row(`breakdown.${part.side}`, `breakdown: ${controlLabel}, ${part.label}`);
    const plantAloneUs = medianInterval(plantAlone.get('reference') ?? []).median;
    result['plantedAloneCpuUs'] = plantAloneUs;
    const notes = [
      `for scale: the planted 2 µs of work is charged ${plantAloneUs.toFixed(2)} µs of CPU in these workers around a call that does nothing`,
      `${plan.workers} fresh workers per client kind × ${plan.rounds} lockstep blocks per row (up to ×${MAX_ROUNDS_FACTOR} where garbage cut the blocks short: n in the summary); a row's figure is the median over all blocks`,
      `blocks a scavenge cut into (each block starts and ends with one, outside the calls): ${blocksCutByScavenge}`,
    ];
    return { result, table, checks, notes };
  },
};
