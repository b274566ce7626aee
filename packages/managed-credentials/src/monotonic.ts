/**
 * Milliseconds on the system's monotonic clock (arbitrary origin; differences only). Read on every
 * managed call: `process.hrtime.bigint()` is the cheapest monotonic reading Node offers there —
 * `performance.now()` touches several times more code and data, which a call pays in CPU-cache misses
 * (bench/probes/cold-caches.mjs).
 */
export function monotonicNow(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
