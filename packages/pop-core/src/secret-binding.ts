import {
  ConfigError,
  getDefaultProvider,
  type AccessKeySnapshot,
  type CallOptions,
  type ManagedCredentialsProvider,
  type Registration,
} from 'managed-credentials';
import { isExpiredPopCoreKeyError } from './expired-key.js';
import type { ManagedPopCoreOptions } from './options.js';
import { SigningKey } from './signing-key.js';

// pop-core before 1.8 asserts that a key is present at construction; the real one is read per request.
const PLACEHOLDER_KEY = 'managed-credentials-placeholder';

/** Config fields that would give pop-core a key of its own (`secretAccessKey` is an alias pop-core reads). */
const OWNED_CONFIG = [
  'accessKeyId',
  'accessKeySecret',
  'secretAccessKey',
  'securityToken',
  'credentialsProvider',
] as const;

/**
 * A client dropped without `close()` still releases its claim on the secret
 * once it is garbage-collected. The held value is the registration alone: it
 * must not reference the client, or the client would never be collected.
 */
const releaseOnCollect = new FinalizationRegistry<Registration>((registration) => registration.release());

/**
 * What ties one pop-core client to a secret: the provider, the call options,
 * the key hand-over, and the client's registration. The expired-key policy
 * itself is the core's (`provider.callWithAccessKey`).
 */
export class SecretBinding {
  readonly #secretName: string;
  readonly #provider: ManagedCredentialsProvider;
  readonly #callOptions: CallOptions;
  readonly #signingKey: SigningKey;
  #registration: Registration | undefined;

  /** @throws TypeError for a bad secret name or config; ConfigError for a key in `config`. */
  constructor(clientName: string, config: unknown, secretName: string, options: ManagedPopCoreOptions) {
    if (typeof secretName !== 'string' || secretName === '') {
      throw new TypeError(
        `${clientName}: secretName must be a non-empty string (the name of a KMS RAM secret)`,
      );
    }
    if (typeof config !== 'object' || config === null) {
      throw new TypeError(
        `${clientName}: config must be pop-core's config object ({ endpoint, apiVersion, … })`,
      );
    }
    const owned = OWNED_CONFIG.find((key) => key in config);
    if (owned !== undefined) {
      throw new ConfigError(
        `${clientName} takes its AccessKey from the secret "${secretName}"; remove "${owned}" from the config.`,
        { key: owned },
      );
    }
    const provider = options.provider ?? getDefaultProvider();
    this.#secretName = secretName;
    this.#provider = provider;
    this.#callOptions = callOptionsOf(options);
    this.#signingKey = new SigningKey(() => provider.currentAccessKey(secretName));
  }

  /**
   * The user's config (copied: pop-core edits `endpoint`) with the key sources
   * pop-core reads: `credentialsProvider` (1.8) and placeholders that earlier
   * releases require and {@link bindKeyFields} replaces.
   */
  configFor<C extends object>(config: C): C {
    const signingKey = this.#signingKey;
    // Read before the first await of getCredentials, so it is the key of the request being started.
    const credentialsProvider = {
      getCredentials: async (): Promise<AccessKeySnapshot> => signingKey.snapshot,
    };
    return { ...config, accessKeyId: PLACEHOLDER_KEY, accessKeySecret: PLACEHOLDER_KEY, credentialsProvider };
  }

  /**
   * Makes `client.accessKeyId` / `client.accessKeySecret` (what pop-core before
   * 1.8 signs with) read the request's key. Not enumerable, so logging or
   * spreading the client shows no key; no setter: the key changes by rotating the secret.
   */
  bindKeyFields(client: object): void {
    const signingKey = this.#signingKey;
    Object.defineProperties(client, {
      accessKeyId: { get: () => signingKey.snapshot.accessKeyId, enumerable: false, configurable: true },
      accessKeySecret: {
        get: () => signingKey.snapshot.accessKeySecret,
        enumerable: false,
        configurable: true,
      },
      securityToken: { value: undefined, enumerable: false, configurable: true, writable: false },
    });
  }

  /** Claims the secret for `client` (and starts fetching it). */
  register(client: object): void {
    this.#registration = this.#provider.register(this.#secretName);
    releaseOnCollect.register(client, this.#registration, this.#registration);
  }

  /**
   * Runs one pop-core request through `provider.callWithAccessKey`: every
   * attempt starts `request` with the attempt's key snapshot.
   */
  call<T>(request: () => Promise<T>): Promise<T> {
    return this.#provider.callWithAccessKey(
      this.#secretName,
      (key) => this.#signingKey.signWith(key, request),
      this.#callOptions,
    );
  }

  /** Resolves once the secret's AccessKey has been fetched. */
  async ready(): Promise<void> {
    await this.#provider.getAccessKey(this.#secretName);
  }

  /** Releases the claim; idempotent. */
  close(): void {
    const registration = this.#registration;
    if (registration === undefined) return;
    this.#registration = undefined;
    releaseOnCollect.unregister(registration);
    registration.release();
  }
}

function callOptionsOf(options: ManagedPopCoreOptions): CallOptions {
  const callOptions: CallOptions = {
    isExpiredKeyError: options.isExpiredKeyError ?? isExpiredPopCoreKeyError,
    // The key reaches pop-core through SigningKey, synchronously, and only `request` is wrapped (no nested
    // calls to join): no call context is needed, so no AsyncLocalStorage taxes the application's promises.
    trackCallContext: false,
  };
  if (options.maxRetries !== undefined) callOptions.maxRetries = options.maxRetries;
  if (options.timeoutMs !== undefined) callOptions.timeoutMs = options.timeoutMs;
  return callOptions;
}
