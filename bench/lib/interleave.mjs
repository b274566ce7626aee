// @ts-check
/**
 * Interleaved blocks: the sides being compared take turns, block by block, so
 * a machine that gets busier or quieter affects all of them alike. The order
 * flips every round (A B, B A, …) so neither side always runs right after the
 * other one's garbage.
 */

/**
 * @typedef {import('./worker.mjs').BlockResult} BlockResult
 * @typedef {{ worker: { request: (method: string, ...args: unknown[]) => Promise<any> }, side: string,
 *   plantedDelayNs?: number }} Side
 */

/**
 * Runs `rounds` rounds of one block of `calls` calls per side; block results per side.
 * @param {Side[]} sides
 * @param {{ rounds: number, calls: number, timeEach?: boolean }} plan
 * @returns {Promise<BlockResult[][]>}
 */
export async function interleave(sides, plan) {
  /** @type {BlockResult[][]} */
  const results = sides.map(() => []);
  for (let round = 0; round < plan.rounds; round++) {
    const order = sides.map((_, i) => (round % 2 === 0 ? i : sides.length - 1 - i));
    for (const i of order) results[i]?.push(await runBlock(/** @type {Side} */ (sides[i]), plan));
  }
  return results;
}

/**
 * Warms every side up (JIT, pools) and returns how many calls make a block of
 * about `blockMs`, from the slowest side's wall time per call.
 * @param {Side[]} sides
 * @param {{ warmupCalls: number, blockMs: number, minCalls: number, maxCalls: number }} plan
 */
export async function calibrate(sides, plan) {
  let slowestNs = 0;
  for (const side of sides) {
    const warm = await runBlock(side, { calls: plan.warmupCalls });
    slowestNs = Math.max(slowestNs, warm.wallNsPerCall);
  }
  const calls = Math.round((plan.blockMs * 1e6) / Math.max(slowestNs, 1));
  return Math.min(plan.maxCalls, Math.max(plan.minCalls, calls));
}

/**
 * @param {Side} side
 * @param {{ calls: number, timeEach?: boolean }} plan
 * @returns {Promise<BlockResult>}
 */
function runBlock(side, plan) {
  return side.worker.request('block', {
    side: side.side,
    calls: plan.calls,
    timeEach: plan.timeEach ?? false,
    plantedDelayNs: side.plantedDelayNs ?? 0,
  });
}
