import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-call options that reach `callWithAccessKey` through the async context, see {@link withCallOptions}. */
export interface ScopedCallOptions {
  /** Aborts waiting for the key, a refresh or a retry of every call made inside the scope. */
  signal?: AbortSignal;
  /** Total time budget of each call made inside the scope, ms (instead of the default 30 000). */
  timeoutMs?: number;
}

const scopes = new AsyncLocalStorage<ScopedCallOptions>();

/**
 * Runs `fn` with call options for every call it makes through a
 * managed-credentials client — for SDK methods that take no `AbortSignal`
 * (generated tea-openapi clients, ali-oss):
 *
 * ```ts
 * await withCallOptions({ signal: AbortSignal.timeout(5_000) }, () => ecs.describeRegions(request));
 * ```
 *
 * Merging: a signal given here and one given explicitly (`CallOptions.signal`)
 * are both honoured — whichever aborts first ends the wait. For `timeoutMs`
 * the explicit `CallOptions.timeoutMs` wins over the scoped one. Nested scopes
 * combine the same way: the inner `timeoutMs` wins, both signals apply.
 * The signal bounds the plug-in's waiting (first fetch, refresh, retry); an
 * SDK request already on the wire is not cancelled by it.
 */
export function withCallOptions<T>(options: ScopedCallOptions, fn: () => T): T {
  const outer = scopes.getStore();
  const signal = combineSignals(outer?.signal, options.signal);
  const timeoutMs = options.timeoutMs ?? outer?.timeoutMs;
  return scopes.run({ ...(signal ? { signal } : {}), ...(timeoutMs === undefined ? {} : { timeoutMs }) }, fn);
}

/** The options of the innermost enclosing {@link withCallOptions}, if any. */
export function scopedCallOptions(): ScopedCallOptions | undefined {
  return scopes.getStore();
}

/** One signal that aborts when either given one does (undefined when none is given). On every call: no allocation unless both are given. */
export function combineSignals(
  first: AbortSignal | undefined,
  second: AbortSignal | undefined,
): AbortSignal | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return AbortSignal.any([first, second]);
}
