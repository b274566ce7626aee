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
 * Runs the sides in turn, a short block each, until `ms` have passed: a fresh
 * worker's JIT keeps compiling the SDK for the first seconds of calls (over
 * loopback a bare OSS get took ~4× its steady latency in the first second),
 * and the code that takes longer to settle is the side with more of it.
 * @param {Side[]} sides
 * @param {number} ms
 */
export async function warmUp(sides, ms) {
  const until = performance.now() + ms;
  while (performance.now() < until) for (const side of sides) await runBlock(side, { calls: 50 });
}

/**
 * Warms every side up (JIT, pools) and returns how many calls make a block of
 * about `blockMs` (and each side's garbage per call, from a short block), from the slowest side's wall time per call — and, with
 * `allocationBudget`, no more than keep each side's garbage within that many
 * bytes (so a block fits in the young generation: see `WHOLE_BLOCK_YOUNG_GENERATION`).
 * `blocksPerBlockMs`: how many such blocks add up to `blockMs` of calls, so a
 * caller can run as many more rounds and give every row about the same number
 * of measured calls whatever its garbage.
 * @param {Side[]} sides
 * @param {{ warmupCalls: number, blockMs: number, minCalls: number, maxCalls: number,
 *   allocationBudget?: number }} plan
 */
export async function calibrateBlock(sides, plan) {
  let slowestNs = 0;
  /** @type {number[]} */
  const bytesPerCall = [];
  for (const side of sides) {
    await runBlock(side, { calls: plan.warmupCalls });
    // A short block measures what a call costs once warm, in time and garbage (no scavenge cuts into it).
    const probe = await runBlock(side, { calls: Math.max(1, Math.min(plan.warmupCalls, 200)) });
    slowestNs = Math.max(slowestNs, probe.wallNsPerCall);
    bytesPerCall.push(probe.allocatedBytesPerCall);
  }
  const clamp = (/** @type {number} */ n) => Math.min(plan.maxCalls, Math.max(plan.minCalls, n));
  const callsInTime = clamp(Math.round((plan.blockMs * 1e6) / Math.max(slowestNs, 1)));
  let calls = callsInTime;
  const mostBytes = Math.max(0, ...bytesPerCall);
  if (plan.allocationBudget !== undefined && mostBytes > 0)
    calls = clamp(Math.min(calls, Math.floor(plan.allocationBudget / mostBytes)));
  // How many blocks of `calls` make one of `blockMs`: more than 1 when the garbage budget cut the block.
  return { calls, bytesPerCall, blocksPerBlockMs: Math.max(1, Math.round(callsInTime / calls)) };
}

/**
 * Calls per block, as {@link calibrateBlock}.
 * @param {Side[]} sides
 * @param {{ warmupCalls: number, blockMs: number, minCalls: number, maxCalls: number,
 *   allocationBudget?: number }} plan
 */
export async function calibrate(sides, plan) {
  return (await calibrateBlock(sides, plan)).calls;
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

/**
 * Like {@link interleave}, but the sides run in lockstep inside each block
 * (call by call, order rotating; see the worker's `runLockstep`): `rounds`
 * blocks of `calls` calls per side. All sides must live in the same worker.
 * @param {Side[]} sides
 * @param {{ rounds: number, calls: number }} plan
 * @returns {Promise<BlockResult[][]>}
 */
export async function lockstep(sides, plan) {
  const worker = sides[0]?.worker;
  if (!worker || sides.some((side) => side.worker !== worker))
    throw new Error('lockstep sides share one worker');
  /** @type {BlockResult[][]} */
  const results = sides.map(() => []);
  for (let round = 0; round < plan.rounds; round++) {
    /** @type {BlockResult[]} */
    const block = await worker.request('lockstep', {
      sides: sides.map((side) => ({ side: side.side, plantedDelayNs: side.plantedDelayNs ?? 0 })),
      calls: plan.calls,
    });
    block.forEach((result, index) => results[index]?.push(result));
  }
  return results;
}
