import { Readable } from 'node:stream';

/**
 * Whether an API call can be sent again with the same arguments. Generated
 * `…Advance` methods take request models holding a `Readable` (a file to
 * upload); once the first attempt consumed it, a retry would send an empty or
 * truncated body, so the core refreshes the key but does not retry.
 */
export function isReplayable(args: readonly unknown[]): boolean {
  return !args.some((arg) => isConsumedStream(arg) || fieldsOf(arg).some(isConsumedStream));
}

function isConsumedStream(value: unknown): boolean {
  return value instanceof Readable && (value.readableDidRead || value.readableEnded || value.destroyed);
}

function fieldsOf(value: unknown): unknown[] {
  return typeof value === 'object' && value !== null && !(value instanceof Readable)
    ? Object.values(value)
    : [];
}

/** Whether an argument is, or directly holds, a stream: only then can a call become non-replayable. */
export function holdsStream(args: readonly unknown[]): boolean {
  for (const arg of args) {
    if (arg instanceof Readable) return true;
    if (typeof arg !== 'object' || arg === null) continue;
    // for…in allocates nothing, unlike Object.values: this runs on every call.
    for (const field in arg) {
      if ((arg as Record<string, unknown>)[field] instanceof Readable) return true;
    }
  }
  return false;
}
