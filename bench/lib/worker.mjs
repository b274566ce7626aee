// @ts-check
/**
 * A bench worker: a fresh Node process (`--expose-gc`) that loads one
 * workload module and runs what the coordinator asks — blocks of calls of a
 * named side, or one-off tasks. A workload module exports
 * `setup(args, control)` returning `{ sides?, tasks?, info?, close? }`;
 * `control(method, ...args)` steers the emulator through the coordinator.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { connect } from './ipc.mjs';
import { quantile, trimmedMean } from './stats.mjs';

/**
 * The core's test-only switch (issue 14 self-check): `setPlantedDelayNs(ns)` makes every `callWithAccessKey`
 * busy-wait that many ns. Loaded only by a block that plants a delay: other workloads must not load the core.
 * @returns {Promise<(ns: number) => void>}
 */
async function plantedDelaySwitch() {
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const set = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (ManagedCredentialsProvider))[
    Symbol.for('managed-credentials.bench.setPlantedDelayNs')
  ];
  if (typeof set !== 'function')
    throw new Error('this build of managed-credentials has no planted-delay switch');
  return /** @type {(ns: number) => void} */ (set);
}

/**
 * @typedef {{ sides?: Record<string, () => Promise<unknown>>, tasks?: Record<string, (args: any) => unknown>,
 *   info?: unknown, close?: () => Promise<void> }} Workload
 * @typedef {{ calls: number, cpuNsPerCall: number, wallNsPerCall: number, medianMs: number | null,
 *   allocatedBytesPerCall: number, scavengesInBlock: number, addedCpuNsPerCall?: number }} BlockResult
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
  lockstep: runLockstep,
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

/** Scavenges so far, as the GC reports them (they run outside JS, so a counter is the only way to see them). */
let scavenges = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = /** @type {{ detail?: { kind?: number } }} */ (entry).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges += 1;
  }
}).observe({ entryTypes: ['gc'] });

/**
 * Runs `calls` sequential calls of one side after a scavenge, and returns CPU
 * time (user + system, all threads) and wall time per call; with `timeEach`
 * also the median latency. `plantedDelayNs` sets the core's self-check switch
 * for this block only. The block starts with an empty young generation, so it
 * pays for the scavenges its own garbage causes (`scavengesInBlock` counts
 * them); `allocatedBytesPerCall` is the young generation's growth, meaningful
 * when none ran.
 * @param {{ side: string, calls: number, timeEach?: boolean, plantedDelayNs?: number }} block
 * @returns {Promise<BlockResult>}
 */
async function runBlock({ side, calls, timeEach = false, plantedDelayNs = 0 }) {
  const op = workload.sides?.[side];
  if (!op) throw new Error(`no side ${side}`);
  const gc = /** @type {((options: { type: 'minor' }) => void) | undefined} */ (globalThis.gc);
  const setPlantedDelay = plantedDelayNs > 0 ? await plantedDelaySwitch() : undefined;
  gc?.({ type: 'minor' });
  await gcEntriesDelivered();
  const times = timeEach ? new Array(calls) : undefined;
  setPlantedDelay?.(plantedDelayNs);
  const scavengesBefore = scavenges;
  const heapBefore = process.memoryUsage().heapUsed;
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
    setPlantedDelay?.(0);
  }
  const wallNs = Number(process.hrtime.bigint() - wall);
  const used = process.cpuUsage(cpu);
  const heapAfter = process.memoryUsage().heapUsed;
  await gcEntriesDelivered();
  return {
    calls,
    // Young-generation growth; meaningful only when no scavenge ran inside the block.
    allocatedBytesPerCall: Math.max(0, heapAfter - heapBefore) / calls,
    scavengesInBlock: scavenges - scavengesBefore,
    cpuNsPerCall: ((used.user + used.system) * 1000) / calls,
    wallNsPerCall: wallNs / calls,
    medianMs: times ? quantile(times, 0.5) : null,
  };
}

/**
 * Runs `calls` rounds in which every side makes one call, in an order that
 * rotates every round, timing each call's CPU on its own: the sides share
 * every moment of the block (the machine's load, frequency, caches), so what
 * differs between them is their own work. Between two scavenges, as `runBlock`.
 * `plantedDelayNs` of a side sets the core's self-check switch around that
 * side's calls only.
 * @param {{ sides: { side: string, plantedDelayNs?: number }[], calls: number }} block
 * @returns {Promise<BlockResult[]>}
 */
async function runLockstep({ sides, calls }) {
  const ops = sides.map(({ side }) => {
    const op = workload.sides?.[side];
    if (!op) throw new Error(`no side ${side}`);
    return op;
  });
  const gc = /** @type {((options: { type: 'minor' }) => void) | undefined} */ (globalThis.gc);
  const planted = sides.map((side) => side.plantedDelayNs ?? 0);
  const setPlantedDelay = planted.some((ns) => ns > 0) ? await plantedDelaySwitch() : undefined;
  const n = sides.length;
  const cpuNs = new Float64Array(n);
  const wallNs = new Float64Array(n);
  // Per call, for the paired statistic below.
  const cpuOfCall = sides.map(() => new Float64Array(calls));
  const wallOfCall = sides.map(() => new Array(calls));
  gc?.({ type: 'minor' });
  await gcEntriesDelivered();
  const scavengesBefore = scavenges;
  try {
    for (let i = 0; i < calls; i++) {
      for (let k = 0; k < n; k++) {
        const index = (i + k) % n;
        // Set outside the timed stretch, before every call of either side (both pay the same).
        setPlantedDelay?.(planted[index] ?? 0);
        const cpu = process.cpuUsage();
        const wall = performance.now();
        await /** @type {() => Promise<unknown>} */ (ops[index])();
        const tookMs = performance.now() - wall;
        wallNs[index] += tookMs * 1e6;
        /** @type {number[]} */ (wallOfCall[index])[i] = tookMs;
        const used = process.cpuUsage(cpu);
        const ns = (used.user + used.system) * 1000;
        cpuNs[index] += ns;
        /** @type {Float64Array} */ (cpuOfCall[index])[i] = ns;
      }
    }
  } finally {
    setPlantedDelay?.(0);
  }
  gc?.({ type: 'minor' });
  await gcEntriesDelivered();
  const scavengesInBlock = scavenges - scavengesBefore - (gc ? 1 : 0);
  // The closing scavenge is charged to no side: its cost follows what survives (the same for every side),
  // not the garbage, which is freed without being visited. Garbage per call comes from `runBlock`.
  const first = /** @type {Float64Array} */ (cpuOfCall[0]);
  return sides.map((_, index) => ({
    calls,
    cpuNsPerCall: (cpuNs[index] ?? 0) / calls,
    addedCpuNsPerCall: trimmedMean(
      Array.from(/** @type {Float64Array} */ (cpuOfCall[index]), (ns, i) => ns - (first[i] ?? 0)),
    ),
    wallNsPerCall: (wallNs[index] ?? 0) / calls,
    medianMs: quantile(/** @type {number[]} */ (wallOfCall[index]), 0.5),
    allocatedBytesPerCall: Number.NaN,
    scavengesInBlock,
  }));
}

/** GC entries reach observers a little later, from the event loop: lets them arrive. */
async function gcEntriesDelivered() {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}
