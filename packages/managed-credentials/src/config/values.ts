import type { ConfigKey } from './keys.js';
import type { RawConfigReader } from './raw-config.js';
import { quoteConfigValue } from './quote-value.js';

/**
 * A duration in ms: a whole, non-negative number of milliseconds. Absent →
 * `fallback`; below `min` → error (the value is echoed: durations are not secret).
 */
export function readDurationMs(
  config: RawConfigReader,
  key: ConfigKey,
  fallback: number,
  min: number,
): number {
  const text = config.get(key);
  if (text === undefined) return fallback;
  const value = parseWholeNumber(config, key, text, 'a whole number of milliseconds');
  if (value < min) {
    throw config.error(key, `must be at least ${min} ms (${describeMs(min)}), got ${value}.`);
  }
  return value;
}

/**
 * A count (e.g. `fleet_size`): a whole number of at least `min`. Absent → `fallback`. Like every value an
 * error quotes, a bad one is masked (a secret pasted into the wrong key must not end up in a message).
 */
export function readWholeNumber(
  config: RawConfigReader,
  key: ConfigKey,
  fallback: number,
  min: number,
): number {
  const text = config.get(key);
  if (text === undefined) return fallback;
  const value = parseWholeNumber(config, key, text.trim(), 'a whole number');
  if (value < min) throw config.error(key, `must be a whole number of at least ${min}, got ${value}.`);
  return value;
}

function parseWholeNumber(config: RawConfigReader, key: ConfigKey, text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw config.error(key, `must be ${what}, got ${quoteConfigValue(text)}.`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw config.error(key, `is too large: ${quoteConfigValue(text)}.`);
  return value;
}

function describeMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** `true`/`"true"` → true; `false`/`"false"`/absent → false (case-insensitive); anything else → undefined. */
export function parseBooleanish(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

/**
 * Checks an endpoint: a host (`kms.cn-hangzhou.aliyuncs.com`, optionally with
 * a port) or an http(s) URL (`http://127.0.0.1:18080`), used as given.
 * Returns a problem description, or undefined when it is fine.
 */
export function endpointProblem(endpoint: string): string | undefined {
  if (/\s/.test(endpoint)) return 'contains whitespace';
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint);
  let url: URL;
  try {
    url = new URL(hasScheme ? endpoint : `https://${endpoint}`);
  } catch {
    return 'is not a valid host or URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http:// or https://';
  if (url.hostname === '') return 'has no host';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  return undefined;
}

/** Parses a JSON array value; the parser's own message is dropped (it may quote the input). */
export function readJsonArray(
  config: RawConfigReader,
  key: ConfigKey,
  example: string,
): unknown[] | undefined {
  const text = config.get(key);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw config.error(key, `is not valid JSON; expected an array like ${example}.`);
  }
  if (!Array.isArray(parsed)) throw config.error(key, `must be a JSON array like ${example}.`);
  if (parsed.length === 0)
    throw config.error(key, `is an empty array; list at least one entry like ${example}.`);
  return parsed;
}

/** A JSON object entry of an array, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A non-empty trimmed string field of a JSON entry, or undefined. */
export function stringField(entry: Record<string, unknown>, field: string): string | undefined {
  const value = entry[field];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
