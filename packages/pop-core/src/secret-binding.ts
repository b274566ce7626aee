import {
  ConfigError,
  getDefaultProvider,
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

/** Call options of a client built without options of its own: one object shared by all of them. */
const DEFAULT_CALL_OPTIONS: CallOptions = Object.freeze(callOptionsOf({}));

/**
 * What ties one pop-core client to a secret: the provider, the call options,
 * the key hand-over, and the client's registration. The expired-key policy
 * itself is the core's (`provider.callWithAccessKey`).
 */
export class SecretBinding {
  readonly #secretName: string;
  readonly #provider: ManagedCredentialsProvider;
  readonly #callOptions: CallOptions;
  /** The key pop-core signs with: its `credentialsProvider` (1.8), read by the key fields (before 1.8). */
  readonly signingKey: SigningKey;
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
    this.#callOptions = hasCallOptions(options) ? callOptionsOf(options) : DEFAULT_CALL_OPTIONS;
    this.signingKey = new SigningKey(provider, secretName);
  }

  /**
   * The user's config (copied: pop-core edits `endpoint`) with the key sources
   * pop-core reads: `credentialsProvider` (1.8) and placeholders that earlier
   * releases require (their writes to the key fields are dropped, see key-fields.ts).
   */
  configFor<C extends object>(config: C): C {
    return {
      ...config,
      accessKeyId: PLACEHOLDER_KEY,
      accessKeySecret: PLACEHOLDER_KEY,
      credentialsProvider: this.signingKey,
    };
  }

  /** Claims the secret for `client` (and starts fetching it). */
  register(client: object): void {
    this.#registration = this.#provider.register(this.#secretName);
    releaseOnCollect.register(client, this.#registration, this.#registration);
  }

  /**
   * Runs one pop-core request (`request` on `client` with `args`) through
   * `provider.callWithAccessKey`: every attempt starts it with the attempt's key snapshot.
   */
  call<T>(client: object, request: (...args: never[]) => Promise<T>, args: readonly unknown[]): Promise<T> {
    const signingKey = this.signingKey;
    // `request` reports every failure through its promise, never by throwing where it is called.
    try {
      return this.#provider.callWithAccessKey(
        this.#secretName,
        (key) => signingKey.signWith(key, client, request, args),
        this.#callOptions,
      );
    } catch (error) {
      return Promise.reject(error);
    }
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

function hasCallOptions(options: ManagedPopCoreOptions): boolean {
  return (
    options.isExpiredKeyError !== undefined ||
    options.maxRetries !== undefined ||
    options.timeoutMs !== undefined
  );
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
