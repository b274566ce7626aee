import { KeyHandover, type AccessKeySnapshot, type ManagedCredentialsProvider } from 'managed-credentials';

/**
 * Hands one key snapshot to exactly the pop-core request started inside
 * {@link SigningKey.signWith}.
 *
 * pop-core reads the key synchronously when a request starts, before its
 * first `await`: 1.8 calls `credentialsProvider.getCredentials()` as the
 * first statement of `request` (this object is that credentials provider),
 * and earlier releases read `this.accessKeyId` / `this.accessKeySecret` (see
 * key-fields.ts) while they build and sign the request. So the snapshot a
 * call was given by `provider.callWithAccessKey` is put here, the request is
 * started, and the snapshot is taken away again — all in one synchronous
 * stretch, so concurrent requests of one client never see each other's key,
 * and id and secret come from one snapshot.
 */
export class SigningKey extends KeyHandover {
  readonly #provider: ManagedCredentialsProvider;
  readonly #secretName: string;

  /** Outside a request, the key is the provider's cached one for `secretName`. */
  constructor(provider: ManagedCredentialsProvider, secretName: string) {
    super();
    this.#provider = provider;
    this.#secretName = secretName;
  }

  /** The key the request being started signs with; outside one, the provider's current key. */
  get snapshot(): AccessKeySnapshot {
    return this.handedOver ?? this.#provider.currentAccessKey(this.#secretName);
  }

  /**
   * pop-core 1.8's credentials provider interface. The snapshot is read before the first `await` of the
   * function, i.e. while the request that asks for it is being started.
   */
  async getCredentials(): Promise<AccessKeySnapshot> {
    return this.snapshot;
  }
}
