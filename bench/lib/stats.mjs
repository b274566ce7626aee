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
 * The median of `values` with a distribution-free confidence interval at
 * `level` (order statistics of the binomial(n, ½) law): the interval holds
 * the true median with at least that probability. With very few values it
 * widens to [min, max] (and then covers less).
 * @param {number[]} values
 * @param {number} [level]
 */
export function medianInterval(values, level = 0.9) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // Largest k with P(k <= B <= n - k) >= level for B ~ binomial(n, 1/2).
  let k = 0;
  for (let candidate = 1; candidate <= n / 2; candidate++) {
    if (binomialCentralMass(n, candidate) >= level) k = candidate;
    else break;
  }
  k = Math.max(k, 1);
  return {
    n,
    median: n % 2 === 1 ? quantile(sorted, 0.5) : ((sorted[n / 2 - 1] ?? 0) + (sorted[n / 2] ?? 0)) / 2,
    low: /** @type {number} */ (sorted[k - 1]),
    high: /** @type {number} */ (sorted[n - k]),
    level,
  };
}

/**
 * P(k <= B <= n - k) for B ~ binomial(n, 1/2).
 * @param {number} n
 * @param {number} k
 */
function binomialCentralMass(n, k) {
  let mass = 0;
  let coefficient = 1; // C(n, 0)
  for (let i = 0; i <= n; i++) {
    if (i >= k && i <= n - k) mass += coefficient;
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return mass / 2 ** n;
}

/**
 * One figure from paired blocks: `combine(a[i], b[i])` per round, then the
 * median and its interval.
 * @template T
 * @param {T[]} a
 * @param {T[]} b
 * @param {(a: T, b: T) => number} combine
 */
export function paired(a, b, combine) {
  const values = a.map((x, i) => combine(x, /** @type {T} */ (b[i])));
  return { ...medianInterval(values), values: values.map((v) => round(v, 4)) };
}

/**
 * The mean of the middle 80 %: a call the scheduler interrupted, or that ran
 * a timer's callback, is dropped on both tails, while the 1 µs steps of
 * `process.cpuUsage()` still average out (a median would keep them).
 * @param {number[]} values
 */
export function trimmedMean(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.1);
  const middle = sorted.slice(cut, sorted.length - cut);
  return middle.reduce((sum, value) => sum + value, 0) / Math.max(1, middle.length);
}
