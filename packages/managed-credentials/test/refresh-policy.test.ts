import { describe, expect, it } from 'vitest';
import {
  nextRefreshAt,
  parseDurationSecondsMs,
  REFRESH_JITTER_RANGE_MS,
  type RefreshPolicyInput,
} from '../src/secret/refresh-policy.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const DEFAULTS = { refreshSecretTtlMs: 6 * HOUR, rotationIntervalMs: 6 * HOUR, delayIntervalMs: 5 * MIN };
const RAM_AK = { secretType: 'RamCredentials', extendedConfig: { SecretSubType: 'RamUserAccessKey' } };

interface PolicyCase {
  name: string;
  secret?: RefreshPolicyInput['secret'];
  value?: RefreshPolicyInput['value'];
  config?: Partial<RefreshPolicyInput['config']>;
  random?: number;
  expected: { ttlMs: number; nextRefreshAt: number; basis: 'rotation-date' | 'interval' };
}

const CASES: PolicyCase[] = [
  {
    name: 'plain secret without hints: refresh_secret_ttl from now',
    expected: { ttlMs: 6 * HOUR, nextRefreshAt: NOW + 6 * HOUR, basis: 'interval' },
  },
  {
    name: 'plain secret honours a custom refresh_secret_ttl',
    config: { refreshSecretTtlMs: HOUR },
    expected: { ttlMs: HOUR, nextRefreshAt: NOW + HOUR, basis: 'interval' },
  },
  {
    name: "the value's RefreshInterval beats refresh_secret_ttl",
    value: { refreshIntervalMs: 30 * MIN },
    expected: { ttlMs: 30 * MIN, nextRefreshAt: NOW + 30 * MIN, basis: 'interval' },
  },
  {
    name: 'RAM AK secret: RotationInterval "86400s" is the period; NextRotationDate inside it → date + delay',
    secret: { ...RAM_AK, rotationInterval: '86400s', nextRotationDate: iso(NOW + 3 * HOUR) },
    value: { refreshIntervalMs: MIN },
    expected: { ttlMs: 24 * HOUR, nextRefreshAt: NOW + 3 * HOUR + 5 * MIN, basis: 'rotation-date' },
  },
  {
    name: 'RAM AK secret: NextRotationDate beyond the period → now + period',
    secret: { ...RAM_AK, rotationInterval: '86400s', nextRotationDate: iso(NOW + 30 * HOUR) },
    expected: { ttlMs: 24 * HOUR, nextRefreshAt: NOW + 24 * HOUR, basis: 'interval' },
  },
  {
    name: 'RAM AK secret: NextRotationDate in the past → now + period',
    secret: { ...RAM_AK, rotationInterval: '86400s', nextRotationDate: iso(NOW - MIN) },
    expected: { ttlMs: 24 * HOUR, nextRefreshAt: NOW + 24 * HOUR, basis: 'interval' },
  },
  {
    name: 'RAM AK secret: NextRotationDate exactly one period away is outside the open window',
    secret: { ...RAM_AK, rotationInterval: '3600s', nextRotationDate: iso(NOW + HOUR) },
    expected: { ttlMs: HOUR, nextRefreshAt: NOW + HOUR, basis: 'interval' },
  },
  {
    name: 'RAM AK secret without RotationInterval → rotation_interval, custom delay_interval',
    secret: { ...RAM_AK, nextRotationDate: iso(NOW + HOUR) },
    config: { rotationIntervalMs: 2 * HOUR, delayIntervalMs: 10 * MIN },
    expected: { ttlMs: 2 * HOUR, nextRefreshAt: NOW + HOUR + 10 * MIN, basis: 'rotation-date' },
  },
  {
    name: 'RAM AK secret with a malformed RotationInterval falls back to rotation_interval',
    secret: { ...RAM_AK, rotationInterval: '1d' },
    expected: { ttlMs: 6 * HOUR, nextRefreshAt: NOW + 6 * HOUR, basis: 'interval' },
  },
  {
    name: 'RAM AK secret with a zero RotationInterval falls back to rotation_interval',
    secret: { ...RAM_AK, rotationInterval: '0s' },
    config: { rotationIntervalMs: 3 * HOUR },
    expected: { ttlMs: 3 * HOUR, nextRefreshAt: NOW + 3 * HOUR, basis: 'interval' },
  },
  {
    name: 'RotationInterval as a plain number of seconds; SecretType compared case-insensitively',
    secret: { ...RAM_AK, secretType: 'ramcredentials', rotationInterval: '7200' },
    expected: { ttlMs: 2 * HOUR, nextRefreshAt: NOW + 2 * HOUR, basis: 'interval' },
  },
  {
    name: 'RamCredentials without the RamUserAccessKey sub-type uses the value RefreshInterval',
    secret: {
      secretType: 'RamCredentials',
      extendedConfig: { SecretSubType: 'Other' },
      rotationInterval: '86400s',
    },
    value: { refreshIntervalMs: 2 * HOUR },
    expected: { ttlMs: 2 * HOUR, nextRefreshAt: NOW + 2 * HOUR, basis: 'interval' },
  },
  {
    name: 'Generic secret: ScheduleRotateTimestamp inside the period → that time + delay',
    secret: { secretType: 'Generic' },
    value: { refreshIntervalMs: 4 * HOUR, scheduleRotateTimestampMs: NOW + 90 * MIN },
    expected: { ttlMs: 4 * HOUR, nextRefreshAt: NOW + 95 * MIN, basis: 'rotation-date' },
  },
  {
    name: 'NextRotationDate wins over ScheduleRotateTimestamp',
    secret: { ...RAM_AK, rotationInterval: '86400s', nextRotationDate: iso(NOW + 2 * HOUR) },
    value: { scheduleRotateTimestampMs: NOW + HOUR },
    expected: { ttlMs: 24 * HOUR, nextRefreshAt: NOW + 2 * HOUR + 5 * MIN, basis: 'rotation-date' },
  },
  {
    name: 'a malformed NextRotationDate falls back to ScheduleRotateTimestamp',
    secret: { ...RAM_AK, rotationInterval: '86400s', nextRotationDate: 'tomorrow-ish' },
    value: { scheduleRotateTimestampMs: NOW + HOUR },
    expected: { ttlMs: 24 * HOUR, nextRefreshAt: NOW + HOUR + 5 * MIN, basis: 'rotation-date' },
  },
  {
    name: 'jitter: random() = 0.5 adds 2.5 min',
    random: 0.5,
    expected: { ttlMs: 6 * HOUR, nextRefreshAt: NOW + 6 * HOUR + 150_000, basis: 'interval' },
  },
  {
    name: 'jitter to a rotation date as well',
    random: 0.2,
    secret: { ...RAM_AK, rotationInterval: '86400s', nextRotationDate: iso(NOW + HOUR) },
    expected: { ttlMs: 24 * HOUR, nextRefreshAt: NOW + HOUR + 5 * MIN + 60_000, basis: 'rotation-date' },
  },
  {
    name: "a secret value's RefreshInterval below 5 min is raised to 5 min",
    value: { refreshIntervalMs: 1_000 },
    expected: { ttlMs: 5 * MIN, nextRefreshAt: NOW + 5 * MIN, basis: 'interval' },
  },
  {
    name: 'RAM AK secret: a RotationInterval below 5 min is raised to 5 min',
    secret: { ...RAM_AK, rotationInterval: '1s' },
    expected: { ttlMs: 5 * MIN, nextRefreshAt: NOW + 5 * MIN, basis: 'interval' },
  },
  {
    name: 'nonsense value hints (negative, NaN) are ignored',
    value: { refreshIntervalMs: -5, scheduleRotateTimestampMs: Number.NaN },
    expected: { ttlMs: 6 * HOUR, nextRefreshAt: NOW + 6 * HOUR, basis: 'interval' },
  },
];

describe('SPEC §5 refresh schedule (pure policy)', () => {
  it.each(CASES)('$name', (testCase) => {
    const plan = nextRefreshAt({
      secret: testCase.secret ?? {},
      value: testCase.value ?? {},
      config: { ...DEFAULTS, ...testCase.config },
      now: NOW,
      random: () => testCase.random ?? 0,
    });
    expect(plan).toMatchObject(testCase.expected);
    expect(plan.jitterMs).toBe(Math.floor((testCase.random ?? 0) * REFRESH_JITTER_RANGE_MS));
  });

  it('keeps the jitter inside [0, 5 min) even when random() misbehaves', () => {
    for (const random of [1, 1.5, -1, Number.NaN, 0.999_999_999_9]) {
      const plan = nextRefreshAt({ secret: {}, value: {}, config: DEFAULTS, now: NOW, random: () => random });
      expect(plan.jitterMs).toBeGreaterThanOrEqual(0);
      expect(plan.jitterMs).toBeLessThan(REFRESH_JITTER_RANGE_MS);
      expect(plan.nextRefreshAt).toBe(NOW + 6 * HOUR + plan.jitterMs);
    }
  });
});

describe('RotationInterval parsing', () => {
  it.each([
    ['86400s', 86_400_000],
    ['86400', 86_400_000],
    [' 3600S ', 3_600_000],
    [3600, 3_600_000],
    ['1.5s', 1500],
    ['0s', undefined],
    ['-10s', undefined],
    ['1d', undefined],
    ['', undefined],
    ['s', undefined],
    [undefined, undefined],
    [Number.NaN, undefined],
  ] as const)('%j → %j', (text, expected) => {
    expect(parseDurationSecondsMs(text)).toBe(expected);
  });
});
