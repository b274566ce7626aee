import type { AccessKeySnapshot } from 'managed-credentials';

/**
 * Hands one key snapshot to exactly the pop-core request started inside
 * {@link SigningKey.signWith}.
 *
 * pop-core reads the key synchronously when a request starts, before its
 * first `await`: 1.8 calls `credentialsProvider.getCredentials()` as the
 * first statement of `request`, and earlier releases read
 * `this.accessKeyId` / `this.accessKeySecret` while they build and sign the
 * request. So the snapshot a call was given by `provider.callWithAccessKey`
 * is put here, the request is started, and the snapshot is taken away again
 * — all in one synchronous stretch, so concurrent requests of one client
 * never see each other's key, and id and secret come from one snapshot.
 */
export class SigningKey {
  readonly #current: () => AccessKeySnapshot;
  #handedOver: AccessKeySnapshot | undefined;

  /** @param current the key outside a request (the provider's cached one). */
  constructor(current: () => AccessKeySnapshot) {
    this.#current = current;
  }

  /** The key the request being started signs with; outside one, the provider's current key. */
  get snapshot(): AccessKeySnapshot {
    return this.#handedOver ?? this.#current();
  }

  /** Runs `start` (which must start the request synchronously) with `key` as {@link snapshot}. */
  signWith<T>(key: AccessKeySnapshot, start: () => T): T {
    const outer = this.#handedOver;
    this.#handedOver = key;
    try {
      return start();
    } finally {
      this.#handedOver = outer;
    }
  }
}
