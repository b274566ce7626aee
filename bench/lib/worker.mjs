// @ts-check
/**
 * A bench worker: a fresh Node process (`--expose-gc`) that loads one
 * workload module and runs what the coordinator asks — blocks of calls of a
 * named side, or one-off tasks. A workload module exports
 * `setup(args, control)` returning `{ sides?, tasks?, info?, close? }`;
 * `control(method, ...args)` steers the emulator through the coordinator.
 */
import { connect } from './ipc.mjs';
import { quantile } from './stats.mjs';

/** The core's test-only switch: busy-wait this many ns in every `callWithAccessKey` (issue 14 self-check). */
export const PLANTED_DELAY = Symbol.for('managed-credentials.bench.plantedDelayNs');

/**
 * @typedef {{ sides?: Record<string, () => Promise<unknown>>, tasks?: Record<string, (args: any) => unknown>,
 *   info?: unknown, close?: () => Promise<void> }} Workload
 * @typedef {{ calls: number, cpuNsPerCall: number, wallNsPerCall: number, medianMs: number | null }} BlockResult
 */

const workloadUrl = /** @type {string} */ (process.argv[2]);
/** @type {Workload} */
let workload = {};

const request = connect(/** @type {any} */ (process), {
  async setup(/** @type {unknown} */ args) {
    const module = await import(workloadUrl);
    workload = await module.setup(args, (/** @type {string} */ method, /** @type {unknown[]} */ ...rest) =>
      request('control', method, ...rest),
    );
    return workload.info;
  },
  block: runBlock,
  task(/** @type {string} */ name, /** @type {unknown} */ args) {
    const task = workload.tasks?.[name];
    if (!task) throw new Error(`no task ${name}`);
    return task(args);
  },
});

process.on('disconnect', () => {
  void Promise.resolve(workload.close?.()).finally(() => process.exit(0));
});
process.send?.({ kind: 'ready' });

/**
 * Runs `calls` sequential calls of one side after a scavenge, and returns CPU
 * time (user + system, all threads) and wall time per call; with `timeEach`
 * also the median latency. `plantedDelayNs` sets the core's self-check switch
 * for this block only.
 * @param {{ side: string, calls: number, timeEach?: boolean, plantedDelayNs?: number }} block
 * @returns {Promise<BlockResult>}
 */
async function runBlock({ side, calls, timeEach = false, plantedDelayNs = 0 }) {
  const op = workload.sides?.[side];
  if (!op) throw new Error(`no side ${side}`);
  const g = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis));
  // A scavenge empties the young generation, so each block pays for its own garbage.
  /** @type {((options: { type: 'minor' }) => void) | undefined} */ (globalThis.gc)?.({ type: 'minor' });
  const times = timeEach ? new Array(calls) : undefined;
  if (plantedDelayNs > 0) g[PLANTED_DELAY] = plantedDelayNs;
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  try {
    if (times) {
      for (let i = 0; i < calls; i++) {
        const started = performance.now();
        await op();
        times[i] = performance.now() - started;
      }
    } else {
      for (let i = 0; i < calls; i++) await op();
    }
  } finally {
    delete g[PLANTED_DELAY];
  }
  const wallNs = Number(process.hrtime.bigint() - wall);
  const used = process.cpuUsage(cpu);
  return {
    calls,
    cpuNsPerCall: ((used.user + used.system) * 1000) / calls,
    wallNsPerCall: wallNs / calls,
    medianMs: times ? quantile(times, 0.5) : null,
  };
}
