import { inspect } from 'node:util';
import { SecretFormatError } from '../errors.js';

/**
 * The AccessKey held in a RAM secret's `SecretData`, with the optional hints
 * the rotation service writes next to it. The secret is kept in a private
 * field: `JSON.stringify`, `util.inspect`, `toString` and spreading never show it.
 */
export class RamSecretValue {
  readonly accessKeyId: string;
  /** `GenerateTimestamp` (legacy: `rotateTimestamp`) as written, e.g. `2020-08-14T06:25:07Z`. */
  readonly generateTimestamp: string | undefined;
  /** `ExpireTimestamp` as written. */
  readonly expireTimestamp: string | undefined;
  /** `ExpireTimestamp` in ms since the epoch, when it parses as a date or a number of seconds. */
  readonly expireTimestampMs: number | undefined;
  /** `RefreshInterval` (seconds in the JSON) in ms. */
  readonly refreshIntervalMs: number | undefined;
  /** `ScheduleRotateTimestamp` (seconds since the epoch in the JSON) in ms since the epoch. */
  readonly scheduleRotateTimestampMs: number | undefined;
  readonly #accessKeySecret: string;

  constructor(fields: {
    accessKeyId: string;
    accessKeySecret: string;
    generateTimestamp?: string;
    expireTimestamp?: string;
    refreshIntervalMs?: number;
    scheduleRotateTimestampMs?: number;
  }) {
    this.accessKeyId = fields.accessKeyId;
    this.#accessKeySecret = fields.accessKeySecret;
    this.generateTimestamp = fields.generateTimestamp;
    this.expireTimestamp = fields.expireTimestamp;
    this.expireTimestampMs = parseTimestampMs(fields.expireTimestamp);
    this.refreshIntervalMs = fields.refreshIntervalMs;
    this.scheduleRotateTimestampMs = fields.scheduleRotateTimestampMs;
    Object.freeze(this);
  }

  get accessKeySecret(): string {
    return this.#accessKeySecret;
  }

  toJSON(): Record<string, unknown> {
    return {
      accessKeyId: this.accessKeyId,
      accessKeySecret: '<redacted>',
      generateTimestamp: this.generateTimestamp,
      expireTimestamp: this.expireTimestamp,
      refreshIntervalMs: this.refreshIntervalMs,
      scheduleRotateTimestampMs: this.scheduleRotateTimestampMs,
    };
  }

  toString(): string {
    return `RamSecretValue(${this.accessKeyId})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Parses the `SecretData` of a RAM secret. Accepts the current shape
 * (`AccessKeyId`, `AccessKeySecret`, `GenerateTimestamp`, `ExpireTimestamp`,
 * `RefreshInterval` s, `ScheduleRotateTimestamp` s) and the legacy one
 * (`accessKey`, `accessSecret`, `rotateTimestamp`, `scheduleRotateTimestamp`,
 * `refreshInterval`). Optional hints that are malformed are ignored.
 *
 * @throws SecretFormatError naming `secretName` when the data is not a JSON
 *   object or lacks the key pair. The message never contains any part of the value.
 */
export function parseRamSecretValue(secretName: string, secretData: string): RamSecretValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretData);
  } catch {
    // The parser's message quotes the input; drop it (no `cause`) so the value cannot leak.
    throw new SecretFormatError(
      `The value of secret "${secretName}" is not JSON; a RAM secret holds {"AccessKeyId": …, "AccessKeySecret": …}.`,
      { secretName },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SecretFormatError(
      `The value of secret "${secretName}" is not a JSON object; a RAM secret holds {"AccessKeyId": …, "AccessKeySecret": …}.`,
      { secretName },
    );
  }
  const json = parsed as Record<string, unknown>;
  const modern = typeof json['AccessKeyId'] === 'string' || typeof json['AccessKeySecret'] === 'string';
  const accessKeyId = nonEmptyString(modern ? json['AccessKeyId'] : json['accessKey']);
  const accessKeySecret = nonEmptyString(modern ? json['AccessKeySecret'] : json['accessSecret']);
  if (accessKeyId === undefined || accessKeySecret === undefined) {
    const missing = [
      accessKeyId === undefined ? 'AccessKeyId' : '',
      accessKeySecret === undefined ? 'AccessKeySecret' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    throw new SecretFormatError(
      `The value of secret "${secretName}" has no usable ${missing}; it is not a RAM AccessKey secret.`,
      { secretName },
    );
  }
  const pick = (current: string, legacy: string): unknown => json[current] ?? json[legacy];
  const refreshIntervalSeconds = positiveNumber(pick('RefreshInterval', 'refreshInterval'));
  const scheduleRotateSeconds = positiveNumber(pick('ScheduleRotateTimestamp', 'scheduleRotateTimestamp'));
  return new RamSecretValue({
    accessKeyId,
    accessKeySecret,
    generateTimestamp: scalarString(pick('GenerateTimestamp', 'rotateTimestamp')),
    expireTimestamp: scalarString(pick('ExpireTimestamp', 'expireTimestamp')),
    refreshIntervalMs: refreshIntervalSeconds === undefined ? undefined : refreshIntervalSeconds * 1000,
    scheduleRotateTimestampMs: scheduleRotateSeconds === undefined ? undefined : scheduleRotateSeconds * 1000,
  });
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function scalarString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return nonEmptyString(value);
}

/** A number, or a string of digits (the rotation service writes both). */
function positiveNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
}

/** ISO-like date text, or a number of seconds (values this small cannot be ms since the epoch). */
function parseTimestampMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    return number < 1e11 ? number * 1000 : number;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
