// @ts-check
/**
 * The targets of issue 11 for each scenario, checked against the figures of
 * one run (nothing here is a measured constant).
 *
 * @param {Awaited<ReturnType<typeof import('./simulate.mjs').simulateFleetScenario>>} r
 * @returns {Array<{ target: string, actual: string, pass: boolean }>}
 */
export function checkTargets(r) {
  const limit = r.kmsLimitPerSecond;
  switch (r.scenario) {
    case 'scheduled-rotation':
      return [
        check(
          'peak KMS load ≤ 100 req/s',
          `${r.peakRequestsPerSecond} req/s`,
          r.peakRequestsPerSecond <= 100,
        ),
      ];
    case 'abrupt-revoke':
      return [
        check('99 % on the new key ≤ 30 s', `${r.onNewKeyS.p99} s`, r.onNewKeyS.p99 <= 30),
        check('100 % on the new key ≤ 60 s', `${r.onNewKeyS.p100} s`, r.onNewKeyS.p100 <= 60),
        check(
          `offered load ≤ ${limit} req/s every second after the first`,
          `peak ${r.peakAfterFirstSecond} req/s`,
          r.peakAfterFirstSecond <= limit,
        ),
        check(
          '0 failed calls that had budget left',
          String(r.failedCallsWithBudgetLeft),
          r.failedCallsWithBudgetLeft === 0,
        ),
      ];
    case 'revoke-during-outage':
      return [
        check(
          `offered load ≤ ${limit} req/s throughout`,
          `peak ${r.peakRequestsPerSecond} req/s`,
          r.peakRequestsPerSecond <= limit,
        ),
        check(
          `no process empties its bucket (< ${r.tokenCapacity} tokens spent)`,
          `max ${r.maxTokensSpent} spent`,
          r.maxTokensSpent < r.tokenCapacity,
        ),
        check("99 % on the new key ≤ 30 s after KMS's return", `${r.onNewKeyS.p99} s`, r.onNewKeyS.p99 <= 30),
      ];
    default:
      return [];
  }
}

/**
 * @param {string} target
 * @param {string} actual
 * @param {boolean} pass
 */
function check(target, actual, pass) {
  return { target, actual, pass };
}
