// @ts-check
/**
 * The summary's rows: one figure of the run against its target (issue 14),
 * PASS or FAIL from the measured median. `interval` says whether the whole
 * 90 % interval is on the same side of the target ("clear") or the run was
 * too noisy to be sure ("straddles").
 */

/**
 * @typedef {{ median: number, low: number, high: number, n: number }} Estimate
 * @typedef {{ figure: string, measured: string, interval: string, target: string, result: 'PASS' | 'FAIL',
 *   certainty: string }} Check
 */

/**
 * A figure that must be at most `limit`.
 * @param {string} figure
 * @param {Estimate | number} estimate a median with interval, or an exact count
 * @param {number} limit
 * @param {{ unit?: string, digits?: number, target?: string, single?: string }} [format] `single`: what one
 *   value is, shown instead of an interval (default `exact`)
 * @returns {Check}
 */
export function atMost(figure, estimate, limit, format = {}) {
  const { unit = '', digits = 2 } = format;
  const show = (/** @type {number} */ value) => `${value.toFixed(digits)}${unit}`;
  const exact = typeof estimate === 'number';
  const median = exact ? estimate : estimate.median;
  return {
    figure,
    measured: show(median),
    interval: exact
      ? (format.single ?? 'exact')
      : `${show(estimate.low)} … ${show(estimate.high)} (n=${estimate.n})`,
    target: format.target ?? `≤ ${show(limit)}`,
    result: median <= limit ? 'PASS' : 'FAIL',
    certainty: exact || estimate.high <= limit || estimate.low > limit ? 'clear' : 'straddles',
  };
}

/**
 * A figure that must lie within `[low, high]`.
 * @param {string} figure
 * @param {Estimate} estimate
 * @param {[number, number]} range
 * @param {{ unit?: string, digits?: number, target?: string }} [format]
 * @returns {Check}
 */
export function within(figure, estimate, [low, high], format = {}) {
  const { unit = '', digits = 2 } = format;
  const show = (/** @type {number} */ value) => `${value.toFixed(digits)}${unit}`;
  const inside = estimate.median >= low && estimate.median <= high;
  const clear = (estimate.low >= low && estimate.high <= high) || estimate.high < low || estimate.low > high;
  return {
    figure,
    measured: show(estimate.median),
    interval: `${show(estimate.low)} … ${show(estimate.high)} (n=${estimate.n})`,
    target: format.target ?? `${show(low)} … ${show(high)}`,
    result: inside ? 'PASS' : 'FAIL',
    certainty: clear ? 'clear' : 'straddles',
  };
}

/**
 * A count or fact that must equal `expected`.
 * @param {string} figure
 * @param {number | string} actual
 * @param {number | string} expected
 * @returns {Check}
 */
export function equals(figure, actual, expected) {
  return {
    figure,
    measured: String(actual),
    interval: 'exact',
    target: `= ${expected}`,
    result: actual === expected ? 'PASS' : 'FAIL',
    certainty: 'clear',
  };
}

/**
 * @param {Estimate} estimate
 * @param {number} [digits]
 */
export function showEstimate(estimate, digits = 2) {
  return `${estimate.median.toFixed(digits)} [${estimate.low.toFixed(digits)} … ${estimate.high.toFixed(digits)}]`;
}
