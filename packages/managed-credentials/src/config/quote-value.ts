/** Values longer than this are never quoted, not even masked. */
const MAX_QUOTED_LENGTH = 24;

/**
 * A configuration value as a `ConfigError` may show it. People paste the
 * wrong thing into the wrong key (an AccessKeySecret into `credentials_type`,
 * a URL with a password into an endpoint), and the message ends up in logs:
 * - a plain number (a duration) is shown as is;
 * - a short token (up to 24 letters, digits and `_.:/-`) is shown masked,
 *   only its first few characters kept: `"ecs…" (11 characters)`;
 * - anything else is described, never shown: `a value of 40 characters`.
 */
export function quoteConfigValue(value: string): string {
  if (/^-?\d{1,15}(\.\d{1,6})?$/.test(value)) return `"${value}"`;
  if (value.length <= MAX_QUOTED_LENGTH && /^[A-Za-z0-9_.:/-]+$/.test(value)) {
    if (value.length <= 3) return `"${value}"`;
    const kept = Math.min(4, Math.floor(value.length / 3));
    return `"${value.slice(0, kept)}…" (${value.length} characters)`;
  }
  return `a value of ${value.length} characters (not shown)`;
}
