import type { ConfigKey } from './keys.js';
import type { RawConfigReader } from './raw-config.js';

/**
 * A count (e.g. `fleet_size`): a whole number of at least `min`. Absent → `fallback`. The error does not
 * quote the value: a secret pasted into the wrong key must not end up in a message.
 */
export function readWholeNumber(
  config: RawConfigReader,
  key: ConfigKey,
  fallback: number,
  min: number,
): number {
  const text = config.get(key);
  if (text === undefined) return fallback;
  const value = /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= min)) throw config.error(key, `must be a whole number of at least ${min}.`);
  return value;
}
