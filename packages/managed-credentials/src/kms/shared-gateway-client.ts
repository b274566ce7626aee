import { SecretFetchError } from '../errors.js';
import type { KmsCaller } from './kms-caller.js';
import { kmsTimeoutError } from './kms-error.js';
import { DEFAULT_KMS_CONNECT_TIMEOUT_MS, DEFAULT_KMS_REQUEST_TIMEOUT_MS } from './request-timeout.js';
import { RequestWatch } from './request-watch.js';
import { sdkFailureError } from './sdk-failure.js';
import { secretInfoFromBody } from './secret-info.js';
import { kmsOpenApiSdk, type OpenApiClient, type OpenApiSdk } from './openapi-sdk.js';
import type { SecretInfo, SecretSource } from './types.js';

/** The SDK runtime options of a KMS call (the same fields in both SDK families). */
interface RuntimeOptions {
  autoretry: false;
  readTimeout: number;
  connectTimeout: number;
  ca?: string;
}

const API_VERSION = '2016-01-20';
const USER_AGENT_SUFFIX = 'managed-credentials-nodejs';

export interface SharedGatewayClientOptions {
  /** Origin of one region, e.g. `https://kms.cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:18080`. */
  endpoint: string;
  /** `cn-hangzhou`; sent as `RegionId`. */
  regionId: string;
  caller: KmsCaller;
  /** Whole attempt (credentials, connect, answer), ms. Default 8 000 (`DEFAULT_KMS_REQUEST_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** TCP (and TLS) connect, ms. Default 5 000 (`DEFAULT_KMS_CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs?: number;
  /** PEM of the CA(s) to trust for an HTTPS endpoint instead of the system store. */
  caPem?: string;
}

/**
 * The shared KMS gateway of one region, through the generic `callApi` of
 * `@alicloud/openapi-client` — or of `@alicloud/openapi-core` when the
 * application's tea-openapi client offered it (`openapi-sdk.ts`): `GetSecretValue` (2016-01-20) with
 * `VersionStage=ACSCurrent` and `FetchExtendedConfig=true`, answer body kept
 * whole (`bodyType: 'json'`: `SecretType`, `ExtendedConfig`,
 * `RotationInterval`, `NextRotationDate` included, which the typed model of
 * `@alicloud/kms20160120@1.2.0` drops).
 *
 * AccessKey-based callers: the SDK signs with the `@alicloud/credentials`
 * `Credential` (its default, ACS3-HMAC-SHA256). ClientKey: the same client in
 * RPC mode sends the query our {@link ClientKeySigner} signed, anonymously.
 * One attempt per call (the SDK's own retries are off); the cache retries.
 * The SDK's runtime options carry the connect and read timeouts and the CA;
 * a {@link RequestWatch} (its header sent with the request) unrefs the
 * sockets, stops an aborted attempt and caps the answer size.
 */
export class SharedGatewayClient implements SecretSource {
  readonly endpoint: string;
  readonly #regionId: string;
  readonly #caller: KmsCaller;
  readonly #config: Record<string, unknown>;
  readonly #timeoutMs: number;
  readonly #runtime: RuntimeOptions;

  constructor(options: SharedGatewayClientOptions) {
    const url = new URL(options.endpoint);
    this.endpoint = url.origin;
    this.#regionId = options.regionId;
    this.#caller = options.caller;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_KMS_REQUEST_TIMEOUT_MS;
    this.#config = {
      endpoint: url.host,
      protocol: url.protocol.slice(0, -1),
      regionId: options.regionId,
      userAgent: USER_AGENT_SUFFIX,
      // A ClientKey request is signed by us in the RPC format; `v2` selects the SDK's RPC path for it.
      ...(options.caller.signer ? { signatureAlgorithm: 'v2' } : {}),
    };
    this.#runtime = {
      autoretry: false,
      readTimeout: this.#timeoutMs,
      connectTimeout: Math.min(options.connectTimeoutMs ?? DEFAULT_KMS_CONNECT_TIMEOUT_MS, this.#timeoutMs),
      ...(options.caPem ? { ca: options.caPem } : {}),
    };
  }

  async getSecretValue(secretName: string, options: { signal?: AbortSignal } = {}): Promise<SecretInfo> {
    const { signal } = options;
    signal?.throwIfAborted();
    const watch = new RequestWatch({ kmsHost: new URL(this.endpoint).host });
    const call = watch.run(() => this.#call(secretName, watch));
    let settle: ((error: unknown) => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      settle = reject;
    });
    const timer = setTimeout(() => {
      const timeout = kmsTimeoutError({ secretName, endpoint: this.endpoint, timeoutMs: this.#timeoutMs });
      watch.stop();
      settle?.(timeout);
    }, this.#timeoutMs);
    // Liveness: a background fetch must not hold the process open through its time limit.
    timer.unref();
    const onAbort = (): void => {
      watch.stop();
      settle?.(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const answer = await Promise.race([call, stopped]);
      return secretInfoFromBody(secretName, answer);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw this.#failure(error, secretName, watch);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // The SDK's promise may still settle after a timeout or abort; nobody waits for it any more.
      call.catch(() => undefined);
      watch.finish();
    }
  }

  close(): void {
    this.#caller.close();
  }

  /**
   * One SDK client per attempt (its constructor only copies the config): the credential it signs with is
   * the attempt's own, so that the credential provider's requests are watched with the attempt's.
   */
  #clientFor(sdk: OpenApiSdk, watch: RequestWatch): OpenApiClient {
    const credentialFor = this.#caller.credentialFor;
    if (credentialFor === undefined) return sdk.client({ ...this.#config });
    return sdk.client({ ...this.#config, credential: credentialFor(watch) });
  }

  async #call(secretName: string, watch: RequestWatch): Promise<Record<string, unknown>> {
    const query: Record<string, string> = {
      SecretName: secretName,
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: 'true',
      RegionId: this.#regionId,
    };
    const sdk = await kmsOpenApiSdk();
    const signer = this.#caller.signer;
    const request = sdk.request({
      headers: { ...watch.header },
      query: signer ? signer.sign('POST', { Action: 'GetSecretValue', ...query }, API_VERSION) : query,
    });
    const params = sdk.params({
      action: 'GetSecretValue',
      version: API_VERSION,
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: signer ? 'Anonymous' : 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const client = this.#clientFor(sdk, watch);
    const answer = (await client.callApi(params, request, this.#runtime)) as { body?: unknown };
    const body = answer.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new Error('The KMS answer is not a JSON object.');
    }
    return body as Record<string, unknown>;
  }

  #failure(error: unknown, secretName: string, watch: RequestWatch): SecretFetchError {
    // Our own time limit (see getSecretValue) is already typed; everything else came out of the SDK.
    if (error instanceof SecretFetchError) return error;
    return sdkFailureError(error, {
      secretName,
      endpoint: this.endpoint,
      callerDescription: this.#caller.description,
      watch,
      known: this.#caller.known(),
    });
  }
}
