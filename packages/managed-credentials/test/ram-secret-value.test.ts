import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretFormatError } from '../src/errors.js';
import { parseRamSecretValue } from '../src/secret/ram-secret-value.js';

const SECRET = 'kTx9qZ7vWpL3mN8rB2yH6cJ4dQ';

describe('SPEC §4 RAM secret value', () => {
  it('parses the current shape with every hint', () => {
    const value = parseRamSecretValue(
      'app-ak',
      JSON.stringify({
        AccessKeyId: 'LTAI-current',
        AccessKeySecret: SECRET,
        GenerateTimestamp: '2026-11-20T10:00:00Z',
        ExpireTimestamp: '2026-11-27T10:00:00Z',
        RefreshInterval: 3600,
        ScheduleRotateTimestamp: 1_795_000_000,
      }),
    );
    expect(value.accessKeyId).toBe('LTAI-current');
    expect(value.accessKeySecret).toBe(SECRET);
    expect(value.generateTimestamp).toBe('2026-11-20T10:00:00Z');
    expect(value.expireTimestamp).toBe('2026-11-27T10:00:00Z');
    expect(value.expireTimestampMs).toBe(Date.parse('2026-11-27T10:00:00Z'));
    expect(value.refreshIntervalMs).toBe(3_600_000);
    expect(value.scheduleRotateTimestampMs).toBe(1_795_000_000_000);
  });

  it('parses the minimal current shape, leaving hints undefined', () => {
    const value = parseRamSecretValue(
      's',
      JSON.stringify({ AccessKeyId: 'LTAI-min', AccessKeySecret: SECRET }),
    );
    expect(value.accessKeyId).toBe('LTAI-min');
    expect(value.refreshIntervalMs).toBeUndefined();
    expect(value.scheduleRotateTimestampMs).toBeUndefined();
    expect(value.generateTimestamp).toBeUndefined();
  });

  it('accepts numeric strings for the intervals and ignores malformed hints', () => {
    const value = parseRamSecretValue(
      's',
      JSON.stringify({
        AccessKeyId: 'a',
        AccessKeySecret: SECRET,
        RefreshInterval: '1800',
        ScheduleRotateTimestamp: 'soon',
        ExpireTimestamp: 'not a date',
      }),
    );
    expect(value.refreshIntervalMs).toBe(1_800_000);
    expect(value.scheduleRotateTimestampMs).toBeUndefined();
    expect(value.expireTimestampMs).toBeUndefined();
  });

  it('parses the legacy shape', () => {
    const value = parseRamSecretValue(
      'legacy',
      JSON.stringify({
        accessKey: 'LTAI-legacy',
        accessSecret: SECRET,
        rotateTimestamp: 1_700_000_000,
        scheduleRotateTimestamp: 1_700_086_400,
        refreshInterval: '7200',
      }),
    );
    expect(value.accessKeyId).toBe('LTAI-legacy');
    expect(value.accessKeySecret).toBe(SECRET);
    expect(value.generateTimestamp).toBe('1700000000');
    expect(value.scheduleRotateTimestampMs).toBe(1_700_086_400_000);
    expect(value.refreshIntervalMs).toBe(7_200_000);
  });

  it('never prints the AccessKeySecret', () => {
    const value = parseRamSecretValue(
      's',
      JSON.stringify({ AccessKeyId: 'LTAI-x', AccessKeySecret: SECRET }),
    );
    const printed = [
      JSON.stringify(value),
      inspect(value, { showHidden: true }),
      String(value),
      JSON.stringify({ ...value }),
    ];
    for (const text of printed) expect(text).not.toContain(SECRET);
    expect(JSON.stringify(value)).toContain('LTAI-x');
  });

  const malformed: [string, string][] = [
    ['not JSON', `{"AccessKeyId":"LTAI-x","AccessKeySecret":"${SECRET}"`],
    ['a JSON string', JSON.stringify(SECRET)],
    ['a JSON array', JSON.stringify([SECRET])],
    ['JSON null', 'null'],
    ['no AccessKeySecret', JSON.stringify({ AccessKeyId: SECRET })],
    ['no AccessKeyId', JSON.stringify({ AccessKeySecret: SECRET })],
    ['empty AccessKeySecret', JSON.stringify({ AccessKeyId: 'LTAI-x', AccessKeySecret: '  ' })],
    ['non-string AccessKeySecret', JSON.stringify({ AccessKeyId: 'LTAI-x', AccessKeySecret: 12345 })],
    ['legacy without accessSecret', JSON.stringify({ accessKey: 'LTAI-x', other: SECRET })],
    ['an unrelated object', JSON.stringify({ password: SECRET })],
  ];

  it.each(malformed)('rejects %s with a SecretFormatError naming only the secret', (_name, data) => {
    let caught: unknown;
    try {
      parseRamSecretValue('my-ram-secret', data);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretFormatError);
    const error = caught as SecretFormatError;
    expect(error.code).toBe('MC_SECRET_FORMAT_INVALID');
    expect(error.secretName).toBe('my-ram-secret');
    expect(error.message).toContain('"my-ram-secret"');
    const printed = `${error.message}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}\n${error.stack}`;
    // Neither the value nor any 6-character slice of the secret leaks.
    for (let i = 0; i + 6 <= SECRET.length; i++) expect(printed).not.toContain(SECRET.slice(i, i + 6));
    if (data.length > 8) expect(printed).not.toContain(data);
  });
});
