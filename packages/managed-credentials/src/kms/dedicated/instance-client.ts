import { createPrivateKey, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import type { DedicatedGatewayConfig } from '../../config/types.js';
import { ClientKeyError, SecretFetchError } from '../../errors.js';
import { kmsAnswerError, kmsNetworkError } from '../kms-error.js';
import { secretInfoFromBody } from '../secret-info.js';
import type { SecretInfo, SecretSource } from '../types.js';
import { instanceOrigin } from './instance-endpoint.js';
import { isTlsFailure, tlsFailureError } from './tls-failure.js';
import {
  decodeGetSecretValueResponse,
  decodeInstanceError,
  encodeGetSecretValueRequest,
} from './messages.js';
import {
  contentSha256,
  INSTANCE_API_VERSION,
  INSTANCE_SIGNATURE_METHOD,
  instanceAuthorization,
  instanceStringToSign,
  PROTOBUF_CONTENT_TYPE,
} from './request-signature.js';

/** An answer larger than this is not a GetSecretValue answer (a secret holds at most 64 KB). */
const MAX_BODY_BYTES = 1024 * 1024;
const USER_AGENT = `managed-credentials-nodejs (${os.platform()}; ${os.arch()}) Node.js/${process.versions.node}`;

export interface InstanceClientOptions {
  /** Per request (connect, TLS handshake, answer), ms. Default 10 000. */
  timeoutMs?: number;
  /** Told once, before the first request, when `ignoreSslCerts` turns certificate checks off. */
  onWarning: (message: string) => void;
  /** Wall clock for the `date` header, ms since epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * A client of one KMS instance (dedicated gateway): the instance API's
 * `GetSecretValue` (`dkms-gcs-0.2`) as the official instance SDKs send it — a
 * protobuf body POSTed to `/`, signed with the instance's ClientKey
 * (`authorization: Bearer <SHA256withRSA>`), over TLS verified against the
 * configured CA and the host name. One attempt per call; the cache retries.
 */
export class InstanceClient implements SecretSource {
  readonly endpoint: string;
  readonly #config: DedicatedGatewayConfig;
  readonly #privateKey: KeyObject;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #agent: http.Agent;
  readonly #transport: typeof http | typeof https;
  #warning: (() => void) | undefined;

  constructor(config: DedicatedGatewayConfig, options: InstanceClientOptions) {
    this.endpoint = instanceOrigin(config.endpoint);
    this.#config = config;
    this.#privateKey = loadPrivateKey(config);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    const secure = this.endpoint.startsWith('https:');
    this.#transport = secure ? https : http;
    // Keep-alive: idle sockets are unref()ed by the agent, so they never hold the process open.
    // With a CA, only that CA is trusted (not the system store), as the official SDKs do.
    this.#agent = secure
      ? new https.Agent({
          keepAlive: true,
          ca: config.ignoreSslCerts ? undefined : config.caPem,
          rejectUnauthorized: !config.ignoreSslCerts,
        })
      : new http.Agent({ keepAlive: true });
    if (secure && config.ignoreSslCerts) {
      this.#warning = () =>
        options.onWarning(
          `TLS certificate verification is turned off (ignoreSslCerts) for the KMS instance ${this.endpoint}: ` +
            'its identity is not checked. Configure caFilePath instead.',
        );
    }
  }

  async getSecretValue(secretName: string, options: { signal?: AbortSignal } = {}): Promise<SecretInfo> {
    this.#warning?.();
    this.#warning = undefined;
    const body = encodeGetSecretValueRequest({
      SecretName: secretName,
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: true,
    });
    const { status, body: answer } = await this.#post(secretName, body, options.signal);
    if (status >= 200 && status < 300) {
      let decoded: Record<string, unknown>;
      try {
        decoded = decodeGetSecretValueResponse(answer);
      } catch (error) {
        throw new SecretFetchError(
          `The KMS instance ${this.endpoint} answered GetSecretValue for secret "${secretName}" with ${answer.length} bytes that are not a GetSecretValueResponse.`,
          { secretName, endpoint: this.endpoint, httpStatus: status, retryable: true, cause: error },
        );
      }
      return secretInfoFromBody(secretName, decoded);
    }
    const error = decodeInstanceError(answer);
    throw kmsAnswerError({
      secretName,
      endpoint: this.endpoint,
      httpStatus: status,
      kmsCode: error?.ErrorCode,
      // Non-protobuf answers come from proxies and load balancers; say so without echoing them.
      kmsMessage: error
        ? error.ErrorMessage
        : `an answer of ${answer.length} bytes that is not an instance API Error`,
      requestId: error?.RequestId,
    });
  }

  close(): void {
    this.#agent.destroy();
  }

  #signedHeaders(body: Buffer): Record<string, string> {
    const headers: Record<string, string> = {
      accept: PROTOBUF_CONTENT_TYPE,
      date: new Date(this.#now()).toUTCString(),
      'user-agent': USER_AGENT,
      'x-kms-apiversion': INSTANCE_API_VERSION,
      'x-kms-apiname': 'GetSecretValue',
      'x-kms-signaturemethod': INSTANCE_SIGNATURE_METHOD,
      // Sic: the instance API spells it with three c's.
      'x-kms-acccesskeyid': this.#config.clientKey.keyId,
      'content-type': PROTOBUF_CONTENT_TYPE,
      'content-length': String(body.length),
      'content-sha256': contentSha256(body),
    };
    headers['authorization'] = instanceAuthorization(instanceStringToSign('POST', headers), this.#privateKey);
    return headers;
  }

  #post(
    secretName: string,
    body: Buffer,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; body: Buffer }> {
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
        } else if (isTlsFailure(error)) {
          reject(
            tlsFailureError({
              secretName,
              endpoint: this.endpoint,
              caConfigured: !!this.#config.caPem,
              cause: error,
            }),
          );
        } else reject(kmsNetworkError({ secretName, endpoint: this.endpoint, cause: error }));
      };
      const request = this.#transport.request(
        `${this.endpoint}/`,
        { method: 'POST', agent: this.#agent, signal: combined, headers: this.#signedHeaders(body) },
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
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
          response.on('error', fail);
        },
      );
      request.on('error', fail);
      request.end(body);
    });
  }
}

function loadPrivateKey(config: DedicatedGatewayConfig): KeyObject {
  try {
    return createPrivateKey(config.clientKey.privateKeyPem);
  } catch (error) {
    // Node's message names the decoder step, never the key material.
    throw new ClientKeyError(
      `The private key of ClientKey ${config.clientKey.keyId} (${config.clientKey.file}) for the KMS instance ${config.endpoint} cannot be used: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { key: 'cache_client_dkms_config_info', file: config.clientKey.file, cause: error },
    );
  }
}
