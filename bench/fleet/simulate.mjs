// @ts-check
import { ManagedCredentialsProvider } from 'managed-credentials';
import { SimulatedKms } from './simulated-kms.mjs';
import { VirtualTime, seededRandom } from './virtual-time.mjs';

/** The simulated KMS's limit and latency (the figures of issue 11). */
export const KMS_LIMIT_PER_SECOND = 1_000;
const KMS_LATENCY_MS = 20;
/** Processes start (first fetch) spread over this, before the measured part begins. */
const STARTUP_SPREAD_MS = 10_000;
/** The incident (rotation, revoke) happens at this virtual time. */
const INCIDENT_AT_MS = 20_000;
/** A call's default budget: a failed call younger than this still had budget to wait. */
const CALL_BUDGET_MS = 30_000;
/** Default capacity of a secret's token bucket. */
const TOKEN_CAPACITY = 5;
const OUTAGE_MS = 60_000;
const SECRET = 'fleet-ram-secret';
const OLD = { id: 'AK-OLD', secret: 'old-secret', version: 'v-old' };
const NEW = { id: 'AK-NEW', secret: 'new-secret', version: 'v-new' };

/**
 * @typedef {'scheduled-rotation' | 'abrupt-revoke' | 'revoke-during-outage'} Scenario
 */

/**
 * Runs `processes` real ManagedCredentialsProvider instances on one virtual
 * clock against one simulated KMS, each making one business call per second
 * through `callWithAccessKey`, and returns the figures of the scenario:
 *
 * - `scheduled-rotation`: KMS rotates the secret (NextRotationDate known to
 *   every process); the old key stays valid;
 * - `abrupt-revoke`: KMS serves a new key and the old one is revoked at once;
 * - `revoke-during-outage`: the same, while KMS answers 503 for 60 s.
 *
 * @param {{ scenario: Scenario, processes: number, seed?: number }} options
 */
export async function simulateFleetScenario({ scenario, processes, seed = 1 }) {
  const time = new VirtualTime(Date.UTC(2026, 0, 1));
  const rotationAtMs = scenario === 'scheduled-rotation' ? INCIDENT_AT_MS + 60_000 : INCIDENT_AT_MS;
  const kms = new SimulatedKms({
    time,
    limitPerSecond: KMS_LIMIT_PER_SECOND,
    latencyMs: KMS_LATENCY_MS,
    key: OLD,
    secretInfo: () => ({
      secretType: 'RamCredentials',
      extendedConfig: { SecretSubType: 'RamUserAccessKey' },
      rotationInterval: '86400s',
      ...(scenario === 'scheduled-rotation' && time.monotonic() < rotationAtMs
        ? { nextRotationDate: new Date(time.now() - time.monotonic() + rotationAtMs).toISOString() }
        : {}),
    }),
  });
  const valid = new Set([OLD.id]);
  const onNewKeyAt = new Array(processes).fill(undefined);
  const tokensSpent = new Array(processes).fill(0);
  const calls = { total: 0, failed: 0, failedWithBudgetLeft: 0, overBudget: 0 };
  /** @type {ManagedCredentialsProvider[]} */
  const providers = [];
  const startupRandom = seededRandom(seed * 7919);

  for (let i = 0; i < processes; i += 1) {
    const provider = new ManagedCredentialsProvider({
      source: kms,
      clock: time,
      scheduler: time,
      random: seededRandom(seed * 100_003 + i),
      fleetSize: processes,
    });
    providers.push(provider);
    provider.on('refreshed', (event) => {
      if (event.versionId === NEW.version && onNewKeyAt[i] === undefined) onNewKeyAt[i] = time.monotonic();
      if (event.reason === 'expired-key' && !event.keyChanged) tokensSpent[i] += 1;
    });
    provider.on('refresh-failed', (event) => {
      if (!(/** @type {{ retryable?: boolean }} */ (event.error).retryable)) tokensSpent[i] += 1;
    });
    const businessCall = () => {
      const startedAt = time.monotonic();
      const measured = startedAt >= INCIDENT_AT_MS;
      if (measured) calls.total += 1;
      provider
        .callWithAccessKey(
          SECRET,
          async (key) => {
            if (!valid.has(key.accessKeyId)) {
              throw Object.assign(new Error('The AccessKeyId is not found.'), {
                code: 'InvalidAccessKeyId.NotFound',
              });
            }
          },
          // The budget is measured on virtual time below; the real-time one must never fire.
          { timeoutMs: 2_000_000_000 },
        )
        .then(
          () => {
            if (measured && time.monotonic() - startedAt > CALL_BUDGET_MS) calls.overBudget += 1;
          },
          () => {
            if (!measured) return;
            calls.failed += 1;
            if (time.monotonic() - startedAt < CALL_BUDGET_MS) calls.failedWithBudgetLeft += 1;
          },
        );
      time.setTimeout(businessCall, 1_000);
    };
    time.setTimeout(
      () => {
        provider.register(SECRET);
        businessCall();
      },
      // Whole 10 ms slots: fewer distinct instants to drain, the same load per second.
      Math.floor((startupRandom() * STARTUP_SPREAD_MS) / 10) * 10,
    );
  }

  /** @type {number} */
  let recoveryFromMs = rotationAtMs;
  let endMs;
  if (scenario === 'scheduled-rotation') {
    time.setTimeout(() => {
      kms.current = NEW;
      valid.add(NEW.id);
    }, rotationAtMs);
    // Refreshes come at the rotation date + delay_interval (5 min) + jitter (< 5 min).
    endMs = rotationAtMs + 11 * 60_000;
  } else {
    time.setTimeout(() => {
      kms.current = NEW;
      valid.clear();
      valid.add(NEW.id);
      if (scenario === 'revoke-during-outage') kms.outage = true;
    }, INCIDENT_AT_MS);
    if (scenario === 'revoke-during-outage') {
      recoveryFromMs = INCIDENT_AT_MS + OUTAGE_MS;
      time.setTimeout(() => {
        kms.outage = false;
      }, recoveryFromMs);
    }
    // Long enough for the 60 s target of the last process.
    endMs = recoveryFromMs + 65_000;
  }
  await time.runUntil(endMs);
  await Promise.all(providers.map((provider) => provider.close()));

  const firstSecond = Math.floor(INCIDENT_AT_MS / 1000);
  const seconds = [...kms.offered.keys()].filter((s) => s >= firstSecond).sort((a, b) => a - b);
  const offeredAfter = (/** @type {number} */ from) =>
    Math.max(0, ...seconds.filter((s) => s >= from).map((s) => kms.offered.get(s) ?? 0));
  const sum = (/** @type {Map<number, number>} */ map) =>
    [...map].filter(([s]) => s >= firstSecond).reduce((total, [, n]) => total + n, 0);
  const recoveredAfter = onNewKeyAt
    .map((at) => (at === undefined ? Number.POSITIVE_INFINITY : Math.max(0, at - recoveryFromMs)))
    .sort((a, b) => a - b);
  const quantileS = (/** @type {number} */ q) => {
    const ms = recoveredAfter[Math.max(0, Math.ceil(q * processes) - 1)] ?? Number.POSITIVE_INFINITY;
    return Number.isFinite(ms) ? Math.round(ms / 100) / 10 : Number.POSITIVE_INFINITY;
  };
  return {
    scenario,
    processes,
    kmsRequests: sum(kms.offered),
    throttled: sum(kms.throttledPerSecond),
    peakRequestsPerSecond: offeredAfter(firstSecond),
    peakAfterFirstSecond: offeredAfter(firstSecond + 1),
    /** Requests per second from the incident on, for the record. */
    offeredPerSecond: seconds.map((s) => kms.offered.get(s) ?? 0),
    calls: calls.total,
    failedCalls: calls.failed,
    failedCallsWithBudgetLeft: calls.failedWithBudgetLeft,
    callsOverBudget: calls.overBudget,
    maxTokensSpent: Math.max(...tokensSpent),
    tokenCapacity: TOKEN_CAPACITY,
    kmsLimitPerSecond: KMS_LIMIT_PER_SECOND,
    /** Seconds from the key change (from KMS's return in the outage scenario). */
    onNewKeyS: { p50: quantileS(0.5), p99: quantileS(0.99), p100: quantileS(1) },
  };
}
