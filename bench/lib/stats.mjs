// @ts-check
/** Small statistics helpers for the benchmarks. */

/**
 * The value at quantile `q` (0..1) of `samples` (nearest rank).
 * @param {number[]} samples
 * @param {number} q
 */
export function quantile(samples, q) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return /** @type {number} */ (sorted[rank]);
}

/**
 * Median and p99 of latencies in ms.
 * @param {number[]} samples
 */
export function summarize(samples) {
  return {
    n: samples.length,
    medianMs: round(quantile(samples, 0.5)),
    p99Ms: round(quantile(samples, 0.99)),
  };
}

/**
 * @param {number} value
 * @param {number} [digits]
 */
export function round(value, digits = 3) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Runs `call` once and returns its duration in ms.
 * @param {() => Promise<unknown>} call
 */
export async function timed(call) {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

/**
 * Measures two sequential loops in alternating blocks, so drift of a busy
 * machine affects both alike. Returns the per-call latencies of each.
 * @param {{ warmup: number, iterations: number, blocks: number }} counts
 * @param {() => Promise<unknown>} a
 * @param {() => Promise<unknown>} b
 */
export async function compareLoops(counts, a, b) {
  for (let i = 0; i < counts.warmup; i++) {
    await a();
    await b();
  }
  /** @type {number[]} */
  const aTimes = [];
  /** @type {number[]} */
  const bTimes = [];
  const perBlock = Math.max(1, Math.floor(counts.iterations / counts.blocks));
  for (let block = 0; block < counts.blocks; block++) {
    for (let i = 0; i < perBlock; i++) aTimes.push(await timed(a));
    for (let i = 0; i < perBlock; i++) bTimes.push(await timed(b));
  }
  return { a: aTimes, b: bTimes };
}
