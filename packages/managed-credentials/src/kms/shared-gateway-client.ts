import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { SecretFetchError } from '../errors.js';
import type { KmsAuthenticator } from './kms-authenticator.js';
import { kmsAnswerError, kmsNetworkError } from './kms-error.js';
import { percentEncode } from './rpc-signature.js';
import { secretInfoFromBody } from './secret-info.js';
import type { SecretInfo, SecretSource } from './types.js';

const API_VERSION = '2016-01-20';
const USER_AGENT = 'managed-credentials-nodejs';
/** An answer larger than this is not a GetSecretValue answer (a secret holds at most 64 KB). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface SharedGatewayClientOptions {
  /** Origin of one region, e.g. `https://kms.cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:18080`. */
  endpoint: string;
  authenticator: KmsAuthenticator;
  /** Per request (connect + answer), ms. Default 10 000. */
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
    this.#timeoutMs = options.timeoutMs ?? 10_000;
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
    const { status, body } = await this.#post(secretName, `${this.endpoint}/?${query}`, options.signal);
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
      // e.g. the metadata service or STS is unreachable: transient, and the cause is kept.
      throw new SecretFetchError(
        `Cannot obtain ${this.#authenticator.description} credentials to call KMS at ${this.endpoint} for secret "${secretName}": ${
          error instanceof Error ? error.message : String(error)
        }`,
        { secretName, endpoint: this.endpoint, retryable: true, cause: error },
      );
    }
  }

  #post(
    secretName: string,
    url: string,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; body: string }> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    return new Promise((resolve, reject) => {
      const fail = (error: unknown) => {
        if (signal?.aborted) reject(signal.reason);
        else if (timeout.aborted) {
          reject(
            kmsNetworkError({
              secretName,
              endpoint: this.endpoint,
              cause: error,
              timedOutAfterMs: this.#timeoutMs,
            }),
          );
        } else reject(kmsNetworkError({ secretName, endpoint: this.endpoint, cause: error }));
      };
      const request = this.#transport.request(
        url,
        {
          method: 'POST',
          agent: this.#agent,
          signal: combined,
          headers: {
            'user-agent': USER_AGENT,
            accept: 'application/json',
            'x-acs-action': 'GetSecretValue',
            'x-acs-version': API_VERSION,
            'content-length': 0,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES)
              response.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
            else chunks.push(chunk);
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', fail);
        },
      );
      request.on('error', fail);
      request.end();
    });
  }
}
