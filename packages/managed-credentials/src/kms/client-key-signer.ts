import { createPrivateKey, createSign, randomUUID, type KeyObject } from 'node:crypto';
import type { ClientKey } from '../config/types.js';
import { ClientKeyError } from '../errors.js';

/**
 * Signs shared-gateway RPC requests with a ClientKey (an RSA key pair).
 *
 * Why a signer of our own: neither `@alicloud/openapi-client` nor
 * `@alicloud/credentials` can sign with a ClientKey — the SDK's RPC path signs
 * with `HMAC-SHA1` only, and `@alicloud/credentials` has no ClientKey type (its
 * old `rsa_key_pair` type trades a key pair for an AccessKey at STS, which is
 * not how KMS ClientKeys work). The request still goes through the SDK: the
 * client sends it with `authType: 'Anonymous'` and these parameters as its
 * query, so the SDK's transport, timeouts and CA apply as for every other type.
 *
 * Wire format, as Alibaba's own clients send it (aliyun-openapi-java-sdk
 * `RpcSignatureComposer` + `SHA256withRSASigner`, the secrets-manager Go
 * client's `ClientKeySigner`): every parameter, `SignatureType=PRIVATEKEY`,
 * `SignatureMethod=SHA256withRSA`, `SignatureVersion=1.0` and
 * `AccessKeyId=<ClientKey KeyId>` included, sorted and percent-encoded into
 * `POST&%2F&<encoded canonical query>`, signed with SHA256withRSA (PKCS#1
 * v1.5), base64, sent as `Signature`.
 */
export class ClientKeySigner {
  readonly keyId: string;
  readonly #privateKey: KeyObject;

  /** @throws ClientKeyError when Node cannot sign with the key. */
  constructor(clientKey: ClientKey) {
    this.keyId = clientKey.keyId;
    try {
      this.#privateKey = createPrivateKey(clientKey.privateKeyPem);
    } catch (error) {
      // The crypto error does not quote the key, but keep the message generic anyway.
      throw new ClientKeyError(
        `The private key of ClientKey "${clientKey.keyId}" cannot be used for RSA signing.`,
        {
          key: 'client_key_private_key_path',
          file: clientKey.file,
          cause: error,
        },
      );
    }
  }

  /**
   * The complete, signed query of one RPC call: the common parameters
   * (`Format`, `Version`, `Timestamp`, `SignatureNonce`), the ClientKey
   * parameters, `params`, and `Signature`.
   */
  sign(method: string, params: Readonly<Record<string, string>>, version: string): Record<string, string> {
    const signed: Record<string, string> = {
      Format: 'JSON',
      Version: version,
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      SignatureNonce: randomUUID(),
      ...params,
      AccessKeyId: this.keyId,
      SignatureMethod: 'SHA256withRSA',
      SignatureType: 'PRIVATEKEY',
      SignatureVersion: '1.0',
    };
    signed['Signature'] = createSign('RSA-SHA256')
      .update(rpcStringToSign(method, signed), 'utf8')
      .sign(this.#privateKey, 'base64');
    return signed;
  }
}

/** The RPC (signature version 1.0) string-to-sign: `METHOD&%2F&encode(sorted, encoded key=value pairs)`. */
function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  const canonical = Object.keys(params)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key] ?? '')}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

/** RFC 3986 percent-encoding: `encodeURIComponent` plus `!'()*`, as Alibaba's RPC signature wants. */
function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
