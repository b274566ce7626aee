/**
 * Benchmark hook, NOT public API: the benchmark's self-check plants a known
 * delay in the wrapper path to prove its CPU figure can see it. The switch is
 * reached through `ManagedCredentialsProvider[Symbol.for(PLANTED_DELAY_SWITCH)]`
 * (a non-enumerable static, absent from the types); while it holds a positive
 * number of nanoseconds, every `callWithAccessKey` busy-waits that long. Unset
 * (always, outside the benchmark) it costs one read of a module variable per
 * call — a global-object lookup here cost a managed call µs in CPU-cache misses.
 */
export const PLANTED_DELAY_SWITCH = 'managed-credentials.bench.setPlantedDelayNs';

let plantedDelayNs = 0;

/** Sets the planted delay (ns; 0 or less: none). */
export function setPlantedDelayNs(ns: number): void {
  plantedDelayNs = Number.isFinite(ns) && ns > 0 ? Math.round(ns) : 0;
}

export function plantedDelay(): void {
  if (plantedDelayNs > 0) spin(plantedDelayNs);
}

function spin(ns: number): void {
  const end = process.hrtime.bigint() + BigInt(ns);
  while (process.hrtime.bigint() < end) {
    // busy-wait: the delay must cost CPU, as wrapper code would
  }
}
