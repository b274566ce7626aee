import { createPrivateKey, type KeyObject } from 'node:crypto';
// Named imports: a default import of a built-in makes the CommonJS build copy the whole module at load (issue 14).
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { arch, platform } from 'node:os';
import type { DedicatedGatewayConfig } from '../../config/types.js';
import { ClientKeyError, SecretFetchError } from '../../errors.js';
import { kmsAnswerError } from '../kms-error.js';
import { postOnce, type KmsPost } from '../post-once.js';
import { DEFAULT_KMS_REQUEST_TIMEOUT_MS } from '../request-timeout.js';
import { secretInfoFromBody } from '../secret-info.js';
import type { SecretInfo, SecretSource } from '../types.js';
import { instanceOrigin } from './instance-endpoint.js';
import { isTlsFailure, tlsFailureError } from './tls-failure.js';
import {
  contentSha256,
  INSTANCE_API_VERSION,
  INSTANCE_SIGNATURE_METHOD,
  instanceAuthorization,
  instanceStringToSign,
  PROTOBUF_CONTENT_TYPE,
} from './request-signature.js';

const USER_AGENT = `managed-credentials-nodejs (${platform()}; ${arch()}) Node.js/${process.versions.node}`;

export interface InstanceClientOptions {
  /** Per request (connect, TLS handshake, answer), ms. Default 8 000 (`DEFAULT_KMS_REQUEST_TIMEOUT_MS`). */
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
  readonly #agent: HttpAgent;
  readonly #transport: KmsPost['transport'];
  #warning: (() => void) | undefined;

  constructor(config: DedicatedGatewayConfig, options: InstanceClientOptions) {
    this.endpoint = instanceOrigin(config.endpoint);
    this.#config = config;
    this.#privateKey = loadPrivateKey(config);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_KMS_REQUEST_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
    const secure = this.endpoint.startsWith('https:');
    this.#transport = secure ? { request: httpsRequest } : { request: httpRequest };
    // Keep-alive: idle sockets are unref()ed by the agent, so they never hold the process open.
    // With a CA, only that CA is trusted (not the system store), as the official SDKs do.
    this.#agent = secure
      ? new HttpsAgent({
          keepAlive: true,
          ca: config.ignoreSslCerts ? undefined : config.caPem,
          rejectUnauthorized: !config.ignoreSslCerts,
        })
      : new HttpAgent({ keepAlive: true });
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
    // protobufjs is loaded on first use, so an app without KMS instances never loads it.
    const { decodeGetSecretValueResponse, decodeInstanceError, encodeGetSecretValueRequest } =
      await import('./messages.js');
    const body = encodeGetSecretValueRequest({
      SecretName: secretName,
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: true,
    });
    const { status, body: answer } = await postOnce({
      transport: this.#transport,
      agent: this.#agent,
      url: `${this.endpoint}/`,
      headers: this.#signedHeaders(body),
      body,
      timeoutMs: this.#timeoutMs,
      signal: options.signal,
      secretName,
      endpoint: this.endpoint,
      classifyFailure: (cause) =>
        isTlsFailure(cause)
          ? tlsFailureError({
              secretName,
              endpoint: this.endpoint,
              caConfigured: !!this.#config.caPem,
              cause,
            })
          : undefined,
    });
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
