/**
 * Waits for a shared promise without owning it: when `signal` aborts, this
 * waiter rejects with the signal's reason while the shared work goes on for
 * everyone else. `closed` (the provider's) rejects with `onClosed()`.
 */
export function waitFor<T>(
  shared: Promise<T>,
  signal: AbortSignal | undefined,
  closed?: { signal: AbortSignal; error: () => Error },
): Promise<T> {
  if (!signal && !closed) return shared;
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      signal?.removeEventListener('abort', onAbort);
      closed?.signal.removeEventListener('abort', onClosed);
    };
    const onAbort = () => {
      cleanup();
      reject(signal?.reason);
    };
    const onClosed = () => {
      cleanup();
      reject(closed?.error());
    };
    if (signal?.aborted) return onAbort();
    if (closed?.signal.aborted) return onClosed();
    signal?.addEventListener('abort', onAbort, { once: true });
    closed?.signal.addEventListener('abort', onClosed, { once: true });
    shared.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
