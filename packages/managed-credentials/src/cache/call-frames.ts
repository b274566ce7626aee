import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessKeySnapshot } from '../access-key.js';

/**
 * One business call: which provider and secret it runs for, and the key it
 * uses while it is in progress. Timers, listeners and socket callbacks created
 * during the call inherit the frame and may run long after it settled, so a
 * settled frame is marked inactive (and lets go of its key) rather than trusted.
 */
interface CallFrame {
  readonly owner: object;
  readonly secretName: string;
  /** Undefined once the call has settled. */
  key: AccessKeySnapshot | undefined;
  readonly parent: CallFrame | undefined;
}

/**
 * The calls made through `callWithAccessKey` that the current async context
 * runs inside — so a synchronous read inside the callback returns the very
 * key that call uses, and a nested call for the same secret joins the outer
 * one instead of retrying on its own.
 */
const frames = new AsyncLocalStorage<CallFrame>();

/** The key the innermost enclosing call of `owner` for `secretName` still in progress uses, if any. */
export function keyInCurrentCall(owner: object, secretName: string): AccessKeySnapshot | undefined {
  for (let frame = frames.getStore(); frame; frame = frame.parent) {
    if (frame.key && frame.owner === owner && frame.secretName === secretName) return frame.key;
  }
  return undefined;
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
  const frame: CallFrame = { owner, secretName, key, parent: frames.getStore() };
  try {
    return await frames.run(frame, fn);
  } finally {
    frame.key = undefined;
  }
}
