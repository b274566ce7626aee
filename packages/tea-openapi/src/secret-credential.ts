import { inspect } from 'node:util';
import {
  KeyHandover,
  NotReadyError,
  type AccessKeySnapshot,
  type ManagedCredentialsProvider,
} from 'managed-credentials';

/** The credential type tea-openapi signs AccessKey requests for. */
const ACCESS_KEY_TYPE = 'access_key';

/**
 * What `getCredential()` answers, shaped like `@alicloud/credentials`'
 * `CredentialModel`. The secret is an accessor on the prototype, so neither
 * `JSON.stringify` nor `util.inspect` of this object shows it.
 */
class AccessKeyCredentialModel {
  readonly accessKeyId: string;
  readonly type = ACCESS_KEY_TYPE;
  readonly #snapshot: AccessKeySnapshot;

  constructor(snapshot: AccessKeySnapshot) {
    this.#snapshot = snapshot;
    this.accessKeyId = snapshot.accessKeyId;
    Object.freeze(this);
  }

  /** The key this model answers for. */
  get snapshot(): AccessKeySnapshot {
    return this.#snapshot;
  }

  get accessKeySecret(): string {
    return this.#snapshot.accessKeySecret;
  }

  // Read by the SDKs; an AccessKey from a RAM secret is long-term, never STS or bearer.
  get securityToken(): undefined {
    return undefined;
  }

  get bearerToken(): undefined {
    return undefined;
  }

  get providerName(): undefined {
    return undefined;
  }

  toJSON(): Record<string, string> {
    return { accessKeyId: this.accessKeyId, accessKeySecret: '<redacted>', type: this.type };
  }

  [inspect.custom](): string {
    return `AccessKeyCredentialModel(${this.accessKeyId})`;
  }
}

/**
 * The `credential` a tea-openapi client reads on every request, backed by the
 * provider's cache instead of a fixed key. It serves both client families:
 * `@alicloud/openapi-core` and recent `@alicloud/openapi-client` call
 * `getCredential()`; older `@alicloud/openapi-client` releases call the
 * per-field getters.
 *
 * While a managed call starts its request ({@link signWith}), it answers
 * that call's key: the one `callWithAccessKey` chose, so an expired-key
 * rejection is judged against the key the request really carried, and the
 * request costs no second cache read. The SDKs ask for the credential
 * before their first `await`. Outside that stretch it answers the
 * provider's key of the moment. A request never mixes a key id and a secret
 * from different rotations: `getCredential()` hands out one frozen model,
 * and the older per-field getters are read back to back — only microtasks
 * run between them, while a new key arrives only with a KMS answer (a
 * macrotask). A retried request gets the key the refresh brought.
 */
export class SecretBackedCredential extends KeyHandover {
  readonly #provider: ManagedCredentialsProvider;
  readonly #secretName: string;
  /** The model of the key last handed out. */
  #model: AccessKeyCredentialModel | undefined;

  constructor(provider: ManagedCredentialsProvider, secretName: string) {
    super();
    this.#provider = provider;
    this.#secretName = secretName;
  }

  /** The key a request made now should be signed with; waits for KMS only before the first fetch. */
  accessKey(): Promise<AccessKeySnapshot> {
    if (this.handedOver !== undefined) return Promise.resolve(this.handedOver);
    try {
      return Promise.resolve(this.#provider.currentAccessKey(this.#secretName));
    } catch (error) {
      if (error instanceof NotReadyError) return this.#provider.getAccessKey(this.#secretName);
      return Promise.reject(error);
    }
  }

  /** Read on every request: one model per key, made once, not a new object (and two async layers) per call. */
  getCredential(): Promise<AccessKeyCredentialModel> {
    let key = this.handedOver;
    if (key === undefined) {
      try {
        key = this.#provider.currentAccessKey(this.#secretName);
      } catch (error) {
        if (error instanceof NotReadyError) return this.accessKey().then((first) => this.#modelOf(first));
        return Promise.reject(error);
      }
    }
    return Promise.resolve(this.#modelOf(key));
  }

  #modelOf(snapshot: AccessKeySnapshot): AccessKeyCredentialModel {
    let model = this.#model;
    if (model?.snapshot !== snapshot) {
      model = new AccessKeyCredentialModel(snapshot);
      this.#model = model;
    }
    return model;
  }

  /** @deprecated in `@alicloud/credentials`; kept for older `@alicloud/openapi-client` releases. */
  async getAccessKeyId(): Promise<string> {
    return (await this.accessKey()).accessKeyId;
  }

  /** @deprecated in `@alicloud/credentials`; kept for older `@alicloud/openapi-client` releases. */
  async getAccessKeySecret(): Promise<string> {
    return (await this.accessKey()).accessKeySecret;
  }

  /** Always empty: a RAM secret holds a long-term AccessKey. */
  async getSecurityToken(): Promise<string> {
    return '';
  }

  /** Always empty: a RAM secret holds an AccessKey, not a bearer token. */
  getBearerToken(): string {
    return '';
  }

  getType(): string {
    return ACCESS_KEY_TYPE;
  }

  override toString(): string {
    return `SecretBackedCredential(${this.#secretName})`;
  }

  toJSON(): Record<string, string> {
    return { secretName: this.#secretName, type: ACCESS_KEY_TYPE };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
