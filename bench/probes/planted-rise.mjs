// @ts-check
/**
 * Probe (not part of `pnpm bench`): the self-check's planted work inside one client kind's managed call,
 * read two ways at once — CPU time (`process.cpuUsage()`, all threads, as the bench) and wall time
 * (`performance.now()`; with the transport stubbed a call never waits, so wall ≈ the main thread's CPU).
 * Lockstep pairs (managed + 1 ns against managed + N ns), trimmed mean of the paired per-call differences.
 * If CPU reads below the plant while wall reads it, the CPU accounting loses it, not the code.
 *
 *   pnpm build && node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 \
 *     bench/probes/planted-rise.mjs pop-core.mjs [plants ns, default 1000,2000,4000]
 */
import { quantile, trimmedMean } from '../lib/stats.mjs';
import { runProbe } from './oss-pop-harness.mjs';

const kindFile = process.argv[2] ?? 'pop-core.mjs';
const plants = (process.argv[3] ?? '1000,2000,4000').split(',').map(Number);
const rounds = Number(process.env.PROBE_ROUNDS ?? 12);
const calls = Number(process.env.PROBE_CALLS ?? 300);

const { ManagedCredentialsProvider } = await import('managed-credentials');
const setPlanted = /** @type {(ns: number) => void} */ (
  /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (ManagedCredentialsProvider))[
    Symbol.for('managed-credentials.bench.setPlantedDelayNs')
  ]
);

await runProbe(kindFile, async (ops) => {
  const op = ops[0];
  if (!op) return;
  const gc = /** @type {(o: { type: 'minor' }) => void} */ (globalThis.gc);
  for (let i = 0; i < 2000; i++) await op.managed();
  for (const plant of plants) {
    /** @type {number[]} */ const cpuRise = [];
    /** @type {number[]} */ const wallRise = [];
    for (let round = 0; round < rounds; round++) {
      gc({ type: 'minor' });
      /** @type {number[]} */ const cpuDiff = [];
      /** @type {number[]} */ const wallDiff = [];
      for (let i = 0; i < calls; i++) {
        const cpu = [0, 0];
        const wall = [0, 0];
        for (let k = 0; k < 2; k++) {
          const side = (i + k) % 2;
          setPlanted(side === 0 ? 1 : plant + 1);
          const c = process.cpuUsage();
          const w = performance.now();
          await op.managed();
          wall[side] = (performance.now() - w) * 1000;
          const used = process.cpuUsage(c);
          cpu[side] = used.user + used.system;
        }
        cpuDiff.push(/** @type {number} */ (cpu[1]) - /** @type {number} */ (cpu[0]));
        wallDiff.push(/** @type {number} */ (wall[1]) - /** @type {number} */ (wall[0]));
      }
      setPlanted(0);
      cpuRise.push(trimmedMean(cpuDiff));
      wallRise.push(trimmedMean(wallDiff));
    }
    console.log(
      `${op.id} plant ${plant} ns: CPU rise ${quantile(cpuRise, 0.5).toFixed(2)} µs, wall rise ${quantile(wallRise, 0.5).toFixed(2)} µs ` +
        `(median of ${rounds} blocks of ${calls} pairs)`,
    );
  }
});
