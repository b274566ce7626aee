import { MIN_REFRESH_SECRET_TTL_MS, MIN_ROTATION_INTERVAL_MS } from '../config/keys.js';

/** Upper bound (exclusive) of the per-process random disturbance added to every scheduled refresh. */
export const REFRESH_JITTER_RANGE_MS = 5 * 60_000;

/** What the policy needs to know about a secret, as KMS described it. */
export interface RefreshPolicySecret {
  /** `SecretType`, e.g. `RamCredentials`. */
  secretType?: string;
  /** Parsed `ExtendedConfig`; `SecretSubType: RamUserAccessKey` marks a managed RAM AccessKey. */
  extendedConfig?: Record<string, unknown>;
  /** `RotationInterval` as KMS writes it (`"86400s"`), or a plain number of seconds. */
  rotationInterval?: string | number;
  /** `NextRotationDate`, an ISO date. */
  nextRotationDate?: string;
}

/** Hints from the secret value (see `parseRamSecretValue`), already in ms. */
export interface RefreshPolicyValue {
  refreshIntervalMs?: number;
  scheduleRotateTimestampMs?: number;
}

export interface RefreshPolicyInput {
  secret: RefreshPolicySecret;
  value: RefreshPolicyValue;
  config: { refreshSecretTtlMs: number; rotationIntervalMs: number; delayIntervalMs: number };
  /** Wall-clock time, ms since the epoch. */
  now: number;
  /** Returns a number in [0, 1), like `Math.random`. */
  random: () => number;
}

export interface RefreshPlan {
  /** The refresh period that applies to this secret (without jitter). */
  ttlMs: number;
  /** When to refresh next, ms since the epoch (jitter included). */
  nextRefreshAt: number;
  /** `rotation-date`: just after a known upcoming rotation; `interval`: one period from now. */
  basis: 'rotation-date' | 'interval';
  /** The random disturbance included in `nextRefreshAt`, in [0, 5 min). */
  jitterMs: number;
}

/**
 * When to refresh a secret next — a pure function of (secret info, value
 * hints, config, now, random), after the Java plug-in's
 * RotateAKSecretRefreshSecretStrategy:
 *
 * - period: for `SecretType=RamCredentials` with ExtendedConfig
 *   `SecretSubType=RamUserAccessKey`, the secret's `RotationInterval`
 *   (or `rotation_interval` when absent/malformed); otherwise the value's
 *   `RefreshInterval`; otherwise `refresh_secret_ttl`; a period from the
 *   secret is raised to the 5-minute minimum the config keys have;
 * - next run: when the next rotation (`NextRotationDate`, else the value's
 *   `ScheduleRotateTimestamp`) lies strictly inside (now, now + period), just
 *   after it: that date + `delay_interval`; otherwise now + period;
 * - plus a random disturbance in [0, 5 min) so a fleet does not refresh at once.
 *
 * Unlike the Java strategy, the window is the secret's own period rather than
 * always `rotation_interval`, so a short `refresh_secret_ttl` is honoured.
 * Malformed inputs fall back to the next rule; this function never throws.
 */
export function nextRefreshAt(input: RefreshPolicyInput): RefreshPlan {
  const { secret, value, config, now } = input;
  const ttlMs = refreshPeriodMs(secret, value, config);
  const jitterMs = Math.floor(clampUnit(input.random()) * REFRESH_JITTER_RANGE_MS);
  const rotationAt = parseDateMs(secret.nextRotationDate) ?? positiveFinite(value.scheduleRotateTimestampMs);
  if (rotationAt !== undefined && rotationAt > now && rotationAt < now + ttlMs) {
    return {
      ttlMs,
      nextRefreshAt: rotationAt + config.delayIntervalMs + jitterMs,
      basis: 'rotation-date',
      jitterMs,
    };
  }
  return { ttlMs, nextRefreshAt: now + ttlMs + jitterMs, basis: 'interval', jitterMs };
}

/**
 * The secret's own period wins over the config's, but not below the minimum the config keys have:
 * a `RefreshInterval: 1` in a secret value must not make every client call KMS every second.
 */
function refreshPeriodMs(
  secret: RefreshPolicySecret,
  value: RefreshPolicyValue,
  config: RefreshPolicyInput['config'],
): number {
  if (isManagedRamAccessKey(secret)) {
    const rotationMs = parseDurationSecondsMs(secret.rotationInterval);
    return rotationMs === undefined
      ? config.rotationIntervalMs
      : Math.max(rotationMs, MIN_ROTATION_INTERVAL_MS);
  }
  const refreshMs = positiveFinite(value.refreshIntervalMs);
  return refreshMs === undefined ? config.refreshSecretTtlMs : Math.max(refreshMs, MIN_REFRESH_SECRET_TTL_MS);
}

function isManagedRamAccessKey(secret: RefreshPolicySecret): boolean {
  if (secret.secretType?.toLowerCase() !== 'ramcredentials') return false;
  return secret.extendedConfig?.['SecretSubType'] === 'RamUserAccessKey';
}

/**
 * `"86400s"`, `"86400"` or `86400` → 86 400 000 ms. Anything else (empty, negative,
 * zero, other units, garbage) → undefined.
 */
export function parseDurationSecondsMs(text: string | number | undefined): number | undefined {
  if (typeof text === 'number') return positiveFinite(text * 1000);
  if (typeof text !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*s?\s*$/i.exec(text);
  return match?.[1] === undefined ? undefined : positiveFinite(Number(match[1]) * 1000);
}

function parseDateMs(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function positiveFinite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 0.999_999_999) : 0;
}
