import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { SecretFetchError } from '../errors.js';
import { isRetryableCredentialsFailure } from './credentials-failure.js';
import { CredentialsFailure, credentialsFailureSummary } from './credentials-failure-summary.js';
import type { KmsAuthenticator } from './kms-authenticator.js';
import { kmsAnswerError } from './kms-error.js';
import { postOnce } from './post-once.js';
import { percentEncode } from './rpc-signature.js';
import { DEFAULT_KMS_REQUEST_TIMEOUT_MS } from './request-timeout.js';
import { secretInfoFromBody } from './secret-info.js';
import type { SecretInfo, SecretSource } from './types.js';

const API_VERSION = '2016-01-20';
const USER_AGENT = 'managed-credentials-nodejs';

export interface SharedGatewayClientOptions {
  /** Origin of one region, e.g. `https://kms.cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:18080`. */
  endpoint: string;
  authenticator: KmsAuthenticator;
  /** Per request (connect + answer), ms. Default 8 000 (`DEFAULT_KMS_REQUEST_TIMEOUT_MS`). */
  timeoutMs?: number;
}

/**
 * A minimal client of the shared KMS gateway's RPC API, for one region:
 * `GetSecretValue` (2016-01-20) with `VersionStage=ACSCurrent` and
 * `FetchExtendedConfig=true`, keeping the whole answer body (the typed model
 * of @alicloud/kms20160120 drops `RotationInterval`, `NextRotationDate`,
 * `ExtendedConfig`, `SecretType`). Parameters travel in the query string of a
 * POST, as the generated KMS client sends them. One attempt per call; the
 * cache adds retries.
 */
export class SharedGatewayClient implements SecretSource {
  readonly endpoint: string;
  readonly #authenticator: KmsAuthenticator;
  readonly #timeoutMs: number;
  readonly #agent: http.Agent;
  readonly #transport: typeof http | typeof https;

  constructor(options: SharedGatewayClientOptions) {
    this.endpoint = new URL(options.endpoint).origin;
    this.#authenticator = options.authenticator;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_KMS_REQUEST_TIMEOUT_MS;
    const secure = this.endpoint.startsWith('https:');
    this.#transport = secure ? https : http;
    // Keep-alive: idle sockets are unref()ed by the agent, so they never hold the process open.
    this.#agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  async getSecretValue(secretName: string, options: { signal?: AbortSignal } = {}): Promise<SecretInfo> {
    const params = await this.#signedParams(secretName);
    const query = Object.entries(params)
      .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
      .join('&');
    const answer = await postOnce({
      transport: this.#transport,
      agent: this.#agent,
      url: `${this.endpoint}/?${query}`,
      headers: {
        'user-agent': USER_AGENT,
        accept: 'application/json',
        'x-acs-action': 'GetSecretValue',
        'x-acs-version': API_VERSION,
        'content-length': 0,
      },
      timeoutMs: this.#timeoutMs,
      signal: options.signal,
      secretName,
      endpoint: this.endpoint,
    });
    const status = answer.status;
    const body = answer.body.toString('utf8');
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        json = parsed as Record<string, unknown>;
      }
    } catch {
      json = undefined;
    }
    const field = (key: string) => (typeof json?.[key] === 'string' ? (json[key] as string) : undefined);
    if (status < 200 || status >= 300 || json === undefined) {
      // Non-JSON answers come from proxies and load balancers; say so without echoing them.
      const kmsMessage = json === undefined ? `non-JSON answer of ${body.length} bytes` : field('Message');
      throw kmsAnswerError({
        secretName,
        endpoint: this.endpoint,
        httpStatus: status,
        kmsCode: field('Code'),
        kmsMessage,
        requestId: field('RequestId'),
      });
    }
    return secretInfoFromBody(secretName, json);
  }

  close(): void {
    this.#agent.destroy();
    this.#authenticator.close();
  }

  async #signedParams(secretName: string): Promise<Record<string, string>> {
    const params = {
      Action: 'GetSecretValue',
      Format: 'JSON',
      Version: API_VERSION,
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      SignatureNonce: randomUUID(),
      SecretName: secretName,
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: 'true',
    };
    try {
      return await this.#authenticator.sign('POST', params);
    } catch (error) {
      // An unreachable metadata service or STS is transient; a refusal (role not attached, no permission) is not.
      // The library's message may quote the STS answer (credentials included): only a summary is kept.
      const { description } = this.#authenticator;
      throw new SecretFetchError(
        `Cannot obtain ${description} credentials to call KMS at ${this.endpoint} for secret "${secretName}": ${credentialsFailureSummary(error)}`,
        {
          secretName,
          endpoint: this.endpoint,
          retryable: isRetryableCredentialsFailure(error),
          cause: new CredentialsFailure(description, error),
        },
      );
    }
  }
}
