import type { ErrorReport } from './doctor-report.js';

/** `21600000` → `6 h`, `300000` → `5 min`, `90000` → `1 min 30 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / seconds);
    if (count > 0) parts.push(`${count} ${unit}`);
    rest -= count * seconds;
  }
  return parts.length === 0 ? `${Math.round(ms)} ms` : parts.slice(0, 2).join(' ');
}

/** An error as the doctor prints it: class, code, message, and the typed fields that locate it. */
export function describeError(error: ErrorReport): string {
  const details: string[] = [];
  for (const field of [
    'key',
    'file',
    'secretName',
    'kmsCode',
    'httpStatus',
    'endpoint',
    'requestId',
  ] as const) {
    const value = error[field];
    // Only what the message does not already say.
    if (value !== undefined && !error.message.includes(String(value))) details.push(`${field}=${value}`);
  }
  const code = error.code ? ` ${error.code}` : '';
  return `${error.name}${code}: ${error.message}${details.length > 0 ? ` [${details.join(', ')}]` : ''}`;
}
