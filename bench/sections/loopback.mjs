// @ts-check
/**
 * Loopback ratio: the bare and the managed client of each operation against
 * fake-cloud (its own process) over 127.0.0.1, in lockstep — one call each,
 * alternating A B, B A, so both sides share every moment of the run — in a
 * worker where the plug-in is loaded and a managed call was made. Per block:
 * the managed side's median latency / the bare side's. Several fresh workers
 * per client kind take part (a process's JIT decisions move the figure); the
 * figure is the median over all their blocks. The figure is the steady state
 * of a long-running process: each worker first calls every side for a few
 * seconds (see `warmUp`). A control per operation runs the bare client
 * against a second bare client built the same way (ali-oss pools connections
 * per module, so there they share them): it must come out ≈ 1, and its
 * interval is the method's noise floor.
 */
import { atMost } from '../lib/checks.mjs';
import { calibrate, lockstep, warmUp } from '../lib/interleave.mjs';
import { startWorker } from '../lib/processes.mjs';
import { medianInterval, round } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';
import { CLIENT_KINDS } from '../clients/index.mjs';

const TARGET_RATIO = 1.01;

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'loopback',
  title: 'loopback: median latency managed / bare (fake cloud in its own process, 127.0.0.1)',
  async run({ quick, emulator, world }) {
    const plan = quick
      ? { workers: 1, rounds: 2, warmupMs: 0, warmupCalls: 10, blockMs: 5, minCalls: 5, maxCalls: 10 }
      : {
          workers: 3,
          rounds: 10,
          warmupMs: 3_000,
          warmupCalls: 150,
          blockMs: 100,
          minCalls: 20,
          maxCalls: 2_000,
        };
    /** @type {{ id: string, label: string }[]} */
    const operations = [];
    /** @type {Map<string, { ratio: number[], bareMs: number[], managedMs: number[] }>} */
    const blocks = new Map();
    // Each client kind in workers of its own, as in the wrapper-CPU figure.
    const workerKinds = CLIENT_KINDS.flatMap((kind) => Array.from({ length: plan.workers }, () => kind.id));
    for (const kind of workerKinds) {
      const worker = await startWorker(
        workload('client-calls'),
        { world, transport: 'loopback', kinds: [kind] },
        emulator,
      );
      try {
        /** @type {{ id: string, label: string }[]} */
        const workerOperations = worker.info.operations;
        for (const operation of workerOperations)
          if (!operations.some((known) => known.id === operation.id)) operations.push(operation);
        const sidesOf = (/** @type {{ id: string }} */ operation) => [
          { worker, side: `${operation.id}.bare` },
          { worker, side: `${operation.id}.managed` },
        ];
        // Every side warms up before any is measured: for the first seconds of a fresh worker the JIT is
        // still compiling, and its threads compete with the calls for the CPU.
        await warmUp(
          workerOperations.flatMap((operation) => [
            ...sidesOf(operation),
            { worker, side: `${operation.id}.otherBare` },
          ]),
          plan.warmupMs,
        );
        // Each operation's pair, then its control: the bare client against a second bare client of its own.
        const pairs = workerOperations.flatMap((operation) => [
          { id: operation.id, sides: sidesOf(operation) },
          {
            id: `control.${operation.id}`,
            sides: [
              { worker, side: `${operation.id}.bare` },
              { worker, side: `${operation.id}.otherBare` },
            ],
          },
        ]);
        for (const { id, sides } of pairs) {
          const calls = await calibrate(sides, plan);
          const [bare = [], managed = []] = await lockstep(sides, { rounds: plan.rounds, calls });
          const kept = blocks.get(id) ?? { ratio: [], bareMs: [], managedMs: [] };
          bare.forEach((b, i) => {
            const m = managed[i];
            if (!m || b.medianMs === null || m.medianMs === null) return;
            kept.ratio.push(m.medianMs / b.medianMs);
            kept.bareMs.push(b.medianMs);
            kept.managedMs.push(m.medianMs);
          });
          blocks.set(id, kept);
        }
      } finally {
        await worker.close();
      }
    }
    /** @type {Record<string, unknown>} */
    const result = { workers: plan.workers, roundsPerWorker: plan.rounds };
    /** @type {Record<string, Record<string, unknown>>} */
    const table = {};
    /** @type {import('../lib/checks.mjs').Check[]} */
    const checks = [];
    for (const operation of operations) {
      const kept = blocks.get(operation.id) ?? { ratio: [], bareMs: [], managedMs: [] };
      const ratio = medianInterval(kept.ratio);
      const bareMs = medianInterval(kept.bareMs).median;
      const managedMs = medianInterval(kept.managedMs).median;
      result[operation.id] = { bareMs, managedMs, ratio };
      table[operation.label] = {
        'bare median ms': round(bareMs, 3),
        'managed median ms': round(managedMs, 3),
        'ratio managed / bare': round(ratio.median, 3),
        '90 % interval': `${round(ratio.low, 3)} … ${round(ratio.high, 3)}`,
      };
      checks.push(
        atMost(`loopback median ratio managed / bare, ${operation.label}`, ratio, TARGET_RATIO, {
          digits: 3,
        }),
      );
      const control = medianInterval(blocks.get(`control.${operation.id}`)?.ratio ?? []);
      result[`control.${operation.id}`] = control;
      table[`control: ${operation.label}, bare against a second bare client (≈ 1)`] = {
        'bare median ms': '',
        'managed median ms': '',
        'ratio managed / bare': round(control.median, 3),
        '90 % interval': `${round(control.low, 3)} … ${round(control.high, 3)}`,
      };
    }
    return {
      result,
      table,
      checks,
      notes: [
        `${plan.workers} fresh workers per client kind × ${plan.rounds} lockstep blocks per row, after ${plan.warmupMs / 1000} s of warm-up calls`,
      ],
    };
  },
};
