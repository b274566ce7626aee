import { runInScope, scopedCallOptions } from './call-context.js';
import type { ScopedCallOptions } from './call-options.js';

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
  const outer = scopedCallOptions();
  const signal = combineSignals(outer?.signal, options.signal);
  const timeoutMs = options.timeoutMs ?? outer?.timeoutMs;
  return runInScope({ ...(signal ? { signal } : {}), ...(timeoutMs === undefined ? {} : { timeoutMs }) }, fn);
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
