import type { AccessKeySnapshot } from '../access-key.js';

/**
 * Hands one key to exactly the request an adapter starts inside
 * {@link KeyHandover.signWith}. The SDKs read their credential while a request
 * starts, before its first `await`; so the key `callWithAccessKey` gave the
 * attempt is put here, the request is started, and the key is taken away
 * again — all in one synchronous stretch. Concurrent requests of one client
 * never see each other's key, and a request signs with the key its call judges
 * a rejection against. For adapter packages: their credential objects extend it.
 */
export class KeyHandover {
  #handedOver: AccessKeySnapshot | undefined;

  /** The key of the request being started; undefined outside {@link signWith}. */
  protected get handedOver(): AccessKeySnapshot | undefined {
    return this.#handedOver;
  }

  /**
   * Calls `method` on `thisArg` with `args` (it must start its request synchronously) with `key` handed
   * over until it returns.
   */
  signWith<T>(
    key: AccessKeySnapshot,
    thisArg: object,
    method: (...args: never[]) => T,
    args: readonly unknown[],
  ): T {
    const outer = this.#handedOver;
    this.#handedOver = key;
    try {
      return Reflect.apply(method, thisArg, args) as T;
    } finally {
      this.#handedOver = outer;
    }
  }
}
