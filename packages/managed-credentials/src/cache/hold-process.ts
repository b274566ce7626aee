/**
 * Keeps the process alive until `pending` settles, with one ref()ed timer:
 * someone awaits it (SPEC §5, a call settles and is never abandoned by the
 * process exiting under it). KMS sockets are unref()ed (kms/request-watch.ts)
 * so that background fetches never hold the process; this is the hold for a
 * reader who waits on such a fetch, joined or its own.
 */
export function holdProcessUntilSettled<T>(pending: Promise<T>): Promise<T> {
  const hold = setInterval(() => undefined, 2 ** 30);
  const held = pending.finally(() => clearInterval(hold));
  // As the fetch promise it wraps (secret-entry.ts): a waiter who gave up leaves no unhandled rejection.
  held.catch(() => undefined);
  return held;
}
