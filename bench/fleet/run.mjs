// @ts-check
/**
 * The fleet simulation (`pnpm bench:fleet`, also run by `pnpm bench`): N real
 * ManagedCredentialsProvider instances on one virtual clock against a KMS
 * limited to 1 000 req/s, in three scenarios, each checked against its
 * targets with PASS/FAIL from the run's own figures.
 *
 *   FLEET_PROCESSES=10000 node bench/fleet/run.mjs   # default 2 000 (BENCH_QUICK=1: 200)
 */
import { simulateFleetScenario } from './simulate.mjs';
import { checkTargets } from './targets.mjs';

const quick = process.env['BENCH_QUICK'] === '1';
const processes = Number(process.env['FLEET_PROCESSES'] ?? (quick ? 200 : 2_000));
const only = process.env['FLEET_SCENARIO'];

/** @type {Array<import('./simulate.mjs').Scenario>} */
const scenarios = ['scheduled-rotation', 'abrupt-revoke', 'revoke-during-outage'];
console.log(
  `\nfleet simulation: ${processes} real providers, virtual time, KMS limit 1 000 req/s, 20 ms latency`,
);
let failed = 0;
for (const scenario of scenarios.filter((s) => !only || s === only)) {
  const started = Date.now();
  const result = await simulateFleetScenario({ scenario, processes });
  const checks = checkTargets(result);
  console.log(`\n${scenario} (${((Date.now() - started) / 1000).toFixed(1)} s real)`);
  console.table({
    'KMS requests': { value: result.kmsRequests },
    'peak KMS req/s': { value: result.peakRequestsPerSecond },
    'peak KMS req/s after the first second': { value: result.peakAfterFirstSecond },
    'throttled requests': { value: result.throttled },
    'business calls': { value: result.calls },
    'failed calls': { value: result.failedCalls },
    'failed calls with budget left': { value: result.failedCallsWithBudgetLeft },
    'calls over their 30 s budget': { value: result.callsOverBudget },
    'max tokens spent by one process': { value: result.maxTokensSpent },
    '50 % on the new key (s)': { value: result.onNewKeyS.p50 },
    '99 % on the new key (s)': { value: result.onNewKeyS.p99 },
    '100 % on the new key (s)': { value: result.onNewKeyS.p100 },
  });
  console.log(`  KMS req/s from the incident on: ${compact(result.offeredPerSecond)}`);
  for (const check of checks) {
    if (!check.pass) failed += 1;
    console.log(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.target}: ${check.actual}`);
  }
}
console.log(`\nfleet targets: ${failed === 0 ? 'all PASS' : `${failed} FAIL`}`);

/** Seconds with requests, as `n×count` runs, so a long quiet tail stays short. @param {number[]} perSecond */
function compact(perSecond) {
  /** @type {string[]} */
  const runs = [];
  let i = 0;
  while (i < perSecond.length) {
    let j = i;
    while (j + 1 < perSecond.length && perSecond[j + 1] === perSecond[i]) j += 1;
    runs.push(j > i ? `${j - i + 1}×${perSecond[i]}` : String(perSecond[i]));
    i = j + 1;
  }
  return runs.join(' ');
}
