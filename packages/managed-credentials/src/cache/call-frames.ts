import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessKeySnapshot } from '../access-key.js';

/** One business call in progress: which provider and secret it runs for, and the key it uses. */
interface CallFrame {
  readonly owner: object;
  readonly secretName: string;
  readonly key: AccessKeySnapshot;
  readonly parent: CallFrame | undefined;
}

/**
 * The calls made through `callWithAccessKey` that the current async context
 * runs inside — so a synchronous read inside the callback returns the very
 * key that call uses, and a nested call for the same secret joins the outer
 * one instead of retrying on its own.
 */
const frames = new AsyncLocalStorage<CallFrame>();

/** The key the innermost enclosing call of `owner` for `secretName` uses, if any. */
export function keyInCurrentCall(owner: object, secretName: string): AccessKeySnapshot | undefined {
  for (let frame = frames.getStore(); frame; frame = frame.parent) {
    if (frame.owner === owner && frame.secretName === secretName) return frame.key;
  }
  return undefined;
}

/** Runs `fn` as a call of `owner` for `secretName` with `key`. */
export function runWithKey<T>(owner: object, secretName: string, key: AccessKeySnapshot, fn: () => T): T {
  return frames.run({ owner, secretName, key, parent: frames.getStore() }, fn);
}
