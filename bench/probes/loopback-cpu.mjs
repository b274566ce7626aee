// @ts-check
/**
 * Probe (not part of `pnpm bench`): over loopback, does the managed side's extra WALL time per call come
 * with extra CPU time? Lockstep blocks (as the loopback section) of bare vs one other side of an
 * operation; per block: median wall ratio, and the trimmed-mean CPU µs/call added over bare.
 * argv: operation id (e.g. oss.get), other side (managed | otherBare | forwardingProxy | coreAroundBare).
 * Env: PROBE_ROUNDS (default 20); PROBE_ALL_KINDS=1 loads every client kind in the worker (as the section did). Run `pnpm build` first.
 */
import { workload } from '../lib/workloads.mjs';
import { startEmulator, startWorker } from '../lib/processes.mjs';
import { calibrate, lockstep } from '../lib/interleave.mjs';
import { medianInterval, round } from '../lib/stats.mjs';

const [opId = 'oss.get', ...others] = process.argv.slice(2);
const rounds = Number(process.env.PROBE_ROUNDS ?? 20);
const emulator = await startEmulator();
try {
  const kind = opId.split('.')[0];
  const worker = await startWorker(
    workload('client-calls'),
    { world: emulator.world, transport: 'loopback', kinds: process.env.PROBE_ALL_KINDS ? undefined : [kind] },
    emulator,
  );
  try {
    for (const other of others.length ? others : ['managed']) {
      const sides = [
        { worker, side: `${opId}.bare` },
        { worker, side: `${opId}.${other}` },
      ];
      const calls = await calibrate(sides, { warmupCalls: 300, blockMs: 100, minCalls: 20, maxCalls: 2000 });
      const [bare = [], side = []] = await lockstep(sides, { rounds, calls });
      const ratio = medianInterval(
        side.map((s, i) => /** @type {number} */ (s.medianMs) / /** @type {number} */ (bare[i]?.medianMs)),
      );
      const addedCpuUs = medianInterval(side.map((s) => (s.addedCpuNsPerCall ?? 0) / 1000));
      const bareCpuUs = medianInterval(bare.map((s) => s.cpuNsPerCall / 1000));
      const wallDiffUs = medianInterval(
        side.map((s, i) => ((s.medianMs ?? 0) - (bare[i]?.medianMs ?? 0)) * 1000),
      );
      console.log(
        `${opId} ${other}: wall ratio ${round(ratio.median, 4)} (${round(ratio.low, 4)}…${round(ratio.high, 4)}), ` +
          `wall +${round(wallDiffUs.median, 2)} µs, cpu +${round(addedCpuUs.median, 2)} µs (${round(addedCpuUs.low, 2)}…${round(addedCpuUs.high, 2)}), ` +
          `bare cpu ${round(bareCpuUs.median, 1)} µs, bare wall ${round((bare[0]?.medianMs ?? 0) * 1000, 1)} µs, calls/block ${calls}`,
      );
    }
  } finally {
    await worker.close();
  }
} finally {
  await emulator.close();
}
