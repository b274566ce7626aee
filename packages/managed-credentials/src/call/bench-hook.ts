/**
 * Benchmark hook, NOT public API: the benchmark's self-check plants a known
 * delay in the wrapper path to prove its CPU figure can see it. When
 * `globalThis[Symbol.for('managed-credentials.bench.plantedDelayNs')]` is a
 * positive number, every `callWithAccessKey` busy-waits that many nanoseconds.
 * Unset (always, outside the benchmark) it costs one property read per call.
 */
const PLANTED_DELAY_NS = Symbol.for('managed-credentials.bench.plantedDelayNs');

export function plantedDelay(): void {
  const ns: unknown = (globalThis as Record<symbol, unknown>)[PLANTED_DELAY_NS];
  if (typeof ns !== 'number' || !(ns > 0)) return;
  const end = process.hrtime.bigint() + BigInt(Math.round(ns));
  while (process.hrtime.bigint() < end) {
    // busy-wait: the delay must cost CPU, as wrapper code would
  }
}
