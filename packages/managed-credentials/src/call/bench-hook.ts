/**
 * Benchmark hook, NOT public API: the benchmark's self-check plants a known
 * amount of CPU work in the wrapper path to prove its CPU figure can see it.
 * The switch is reached through
 * `ManagedCredentialsProvider[Symbol.for(PLANTED_DELAY_SWITCH)]` (a
 * non-enumerable static, absent from the types); while it holds a positive
 * number of nanoseconds, every `callWithAccessKey` runs a loop calibrated to
 * take that long on this CPU. Unset (always, outside the benchmark) it costs
 * one read of a module variable per call — a global-object lookup here cost a
 * managed call µs in CPU-cache misses.
 *
 * Work, not a wall-clock spin: a spin ends at a wall-clock instant, so any
 * time the virtual CPU is not running (stolen by the host) shortens the CPU
 * it burns, and the bench would charge the plant less than it planted.
 */
export const PLANTED_DELAY_SWITCH = 'managed-credentials.bench.setPlantedDelayNs';

let plantedIterations = 0;
/** The loop's result, kept so the compiler cannot drop the loop. */
let sink = 1;
let nsPerIteration: number | undefined;

/** Sets the planted delay (ns of CPU work; 0 or less: none). */
export function setPlantedDelayNs(ns: number): void {
  plantedIterations = Number.isFinite(ns) && ns > 0 ? Math.ceil(ns / calibratedNsPerIteration()) : 0;
}

export function plantedDelay(): void {
  if (plantedIterations > 0) work(plantedIterations);
}

function work(iterations: number): void {
  let x = sink;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1_103_515_245) + 12_345) | 0;
  sink = x;
}

/** The fastest of several timed runs: the loop's own cost, without time the CPU spent elsewhere. */
function calibratedNsPerIteration(): number {
  if (nsPerIteration === undefined) {
    const iterations = 200_000;
    work(iterations);
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 9; run++) {
      const started = process.hrtime.bigint();
      work(iterations);
      best = Math.min(best, Number(process.hrtime.bigint() - started) / iterations);
    }
    nsPerIteration = best;
  }
  return nsPerIteration;
}
