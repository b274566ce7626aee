import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessKeySnapshot } from '../access-key.js';
import type { ScopedCallOptions } from './call-options.js';

/**
 * The async context of a business call, and of a `withCallOptions` scope: the
 * library's only AsyncLocalStorage (each active one taxes every promise of the
 * whole application, so the call frames and the scoped options share it).
 *
 * A frame is one call made through `callWithAccessKey`: which provider and
 * secret it runs for, and the key it uses while it is in progress — so a
 * synchronous read inside the callback returns the very key that call uses, and
 * a nested call for the same secret joins the outer one instead of retrying on
 * its own. Timers, listeners and socket callbacks created during the call
 * inherit the frame and may run long after it settled, so a settled frame is
 * marked inactive (and lets go of its key) rather than trusted. A scope
 * (`withCallOptions`) is a frame without an owner.
 */
interface CallContext {
  readonly owner: object | undefined;
  readonly secretName: string | undefined;
  /** Undefined for a scope, and once the call has settled. */
  key: AccessKeySnapshot | undefined;
  readonly parent: CallContext | undefined;
  /** The options of the innermost enclosing `withCallOptions`. */
  readonly scoped: ScopedCallOptions | undefined;
}

const contexts = new AsyncLocalStorage<CallContext>();

/**
 * Whether `contexts` was ever entered. Until then no code can run inside a frame or scope, and the
 * lookups below answer without asking the storage (the adapters' calls never enter it).
 */
let everEntered = false;

/** The key the innermost enclosing call of `owner` for `secretName` still in progress uses, if any. */
export function keyInCurrentCall(owner: object, secretName: string): AccessKeySnapshot | undefined {
  if (!everEntered) return undefined;
  for (let context = contexts.getStore(); context; context = context.parent) {
    if (context.key && context.owner === owner && context.secretName === secretName) return context.key;
  }
  return undefined;
}

/** The options of the innermost enclosing `withCallOptions`, if any. */
export function scopedCallOptions(): ScopedCallOptions | undefined {
  return everEntered ? contexts.getStore()?.scoped : undefined;
}

/**
 * Whether a call of `owner` for `secretName` made now has anything to take from its async context: an
 * enclosing call of the same provider and secret to join, or `withCallOptions` options. False without a
 * lookup while the storage was never entered.
 */
export function inheritsCallContext(owner: object, secretName: string): boolean {
  return (
    everEntered && (keyInCurrentCall(owner, secretName) !== undefined || scopedCallOptions() !== undefined)
  );
}

/** Runs `fn` inside a `withCallOptions` scope with `scoped` (already merged with the outer scope). */
export function runInScope<T>(scoped: ScopedCallOptions, fn: () => T): T {
  everEntered = true;
  const parent = contexts.getStore();
  return contexts.run({ owner: undefined, secretName: undefined, key: undefined, parent, scoped }, fn);
}

/**
 * Runs `fn` as a call of `owner` for `secretName` with `key`. When it settles, the frame goes inactive:
 * a call started later from a callback it left behind gets the current key and its own retries, and a
 * socket holding on to the context does not keep the old secret alive.
 */
export async function runWithKey<T>(
  owner: object,
  secretName: string,
  key: AccessKeySnapshot,
  fn: () => Promise<T>,
): Promise<T> {
  everEntered = true;
  const parent = contexts.getStore();
  const frame: CallContext = { owner, secretName, key, parent, scoped: parent?.scoped };
  try {
    return await contexts.run(frame, fn);
  } finally {
    frame.key = undefined;
  }
}
