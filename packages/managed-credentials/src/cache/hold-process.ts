/**
 * Keeps the process alive until `pending` settles, with one ref()ed timer:
 * someone awaits it (SPEC §5, a call settles and is never abandoned by the
 * process exiting under it). KMS sockets are unref()ed (kms/request-watch.ts)
 * so that background fetches never hold the process; this is the hold for a
 * reader who waits on such a fetch, joined or its own.
 */
export function holdProcessUntilSettled<T>(pending: Promise<T>): Promise<T> {
  const hold = setInterval(() => undefined, 2 ** 30);
  return pending.finally(() => clearInterval(hold));
}
