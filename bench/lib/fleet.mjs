// @ts-check
/**
 * 5. Fleet simulation: N processes that each fetched a managed RAM secret at
 * some moment of the day before its rotation. Each asks the REAL refresh
 * policy (`nextRefreshAt`, from the built core) when to refresh next; the
 * simulation buckets those refreshes per second to find the peak KMS load
 * around the rotation, and how long until the whole fleet has the new key.
 */
// Not part of the package's public surface; the bench reads the built file directly.
import { nextRefreshAt } from '../../packages/managed-credentials/dist/secret/refresh-policy.cjs';
import { seededRandom } from '../fleet/virtual-time.mjs';
import { quantile } from './stats.mjs';

const DAY_MS = 86_400_000;
/** Any fixed instant: the simulation runs on virtual time. */
const ROTATION_AT = Date.UTC(2026, 0, 15, 3, 0, 0);
/** The core's defaults: refresh_secret_ttl 6 h, rotation_interval 6 h, delay_interval 5 min. */
const POLICY = {
  refreshSecretTtlMs: 6 * 3_600_000,
  rotationIntervalMs: 6 * 3_600_000,
  delayIntervalMs: 5 * 60_000,
};

/**
 * @param {{ processes: number, seed?: number }} counts
 */
export function simulateFleet(counts) {
  const managedSecret = {
    secretType: 'RamCredentials',
    extendedConfig: { SecretSubType: 'RamUserAccessKey' },
    rotationInterval: '86400s',
    nextRotationDate: new Date(ROTATION_AT).toISOString(),
  };
  const random = seededRandom(counts.seed ?? 42);
  return {
    processes: counts.processes,
    policy: run(counts.processes, managedSecret, random, random),
    withoutJitter: run(counts.processes, managedSecret, random, () => 0),
    withoutRotationDate: run(
      counts.processes,
      { ...managedSecret, nextRotationDate: undefined },
      random,
      random,
    ),
  };
}

/**
 * @param {number} processes
 * @param {import('../../packages/managed-credentials/dist/types/secret/refresh-policy.js').RefreshPolicySecret} secret
 * @param {() => number} startRandom where in the day each process last fetched
 * @param {() => number} jitterRandom what the policy gets as `random`
 */
function run(processes, secret, startRandom, jitterRandom) {
  /** @type {Map<number, number>} */
  const perSecond = new Map();
  /** @type {number[]} */
  const delaysAfterRotation = [];
  for (let i = 0; i < processes; i++) {
    const fetchedAt = ROTATION_AT - DAY_MS + startRandom() * DAY_MS;
    const plan = nextRefreshAt({ secret, value: {}, config: POLICY, now: fetchedAt, random: jitterRandom });
    const second = Math.floor(plan.nextRefreshAt / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    delaysAfterRotation.push(plan.nextRefreshAt - ROTATION_AT);
  }
  const minutes = (/** @type {number} */ ms) => Math.round(ms / 6_000) / 10;
  return {
    peakKmsRequestsPerSecond: Math.max(...perSecond.values()),
    kmsRequests: processes,
    firstRefreshAfterRotationMin: minutes(Math.min(...delaysAfterRotation)),
    medianRefreshAfterRotationMin: minutes(quantile(delaysAfterRotation, 0.5)),
    wholeFleetOnNewKeyAfterMin: minutes(Math.max(...delaysAfterRotation)),
  };
}
