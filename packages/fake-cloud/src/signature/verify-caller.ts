import type { IncomingMessage } from 'node:http';
import { headerValue } from '../http/params.js';
import type { StoredAccessKeyStore } from '../state/access-keys.js';
import type { ClientKeyStore } from '../types.js';
import {
  type Acs3Authorization,
  acs3PayloadMatches,
  acs3StringToSign,
  parseAcs3Authorization,
  verifyAcs3Hmac,
  verifyAcs3Rsa,
} from './acs3.js';
import type { RequestFreshness } from './freshness.js';
import { rpcStringToSign, verifyRpcHmacSha1, verifyRpcRsa } from './rpc.js';

/** Keys a POP service accepts. */
export interface CallerKeys {
  accessKeys: StoredAccessKeyStore;
  /** When set, ClientKey (RSA) signatures are accepted too — KMS only. */
  clientKeys?: ClientKeyStore;
  /** When set, stale timestamps and replayed nonces are rejected after the signature checks out. */
  freshness?: RequestFreshness;
}

/** A POP error answer. */
export interface CallerRejection {
  readonly ok: false;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly accessKeyId?: string;
  readonly signatureMethod?: string;
}

export type CallerCheck =
  { readonly ok: true; readonly accessKeyId: string; readonly signatureMethod?: string } | CallerRejection;

/** A rejection as the gateway answers it (RPC and ROA callers alike). */
export const reject = (
  status: number,
  code: string,
  message: string,
  accessKeyId?: string,
): CallerRejection => ({
  ok: false,
  status,
  code,
  message,
  ...(accessKeyId !== undefined ? { accessKeyId } : {}),
});

export const notFound = (id: string): CallerRejection =>
  reject(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.', id);

const mismatch = (id: string, stringToSign: string): CallerRejection =>
  reject(
    400,
    'SignatureDoesNotMatch',
    `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    id,
  );

/**
 * Authenticates a POP request the way the real gateway does: an ACS3
 * `Authorization` header (HMAC-SHA256, or RSA-SHA256 with a ClientKey), or
 * the RPC `Signature` parameter (HMAC-SHA1, or SHA256withRSA with a
 * ClientKey). `params` are the RPC parameters (query + form body).
 */
export function verifyCaller(
  req: IncomingMessage,
  body: Buffer,
  params: Record<string, string>,
  keys: CallerKeys,
): CallerCheck {
  const acs3 = parseAcs3Authorization(req.headers.authorization);
  const signatureMethod =
    acs3?.algorithm ?? (params['Signature'] ? (params['SignatureMethod'] ?? 'HMAC-SHA1') : undefined);
  let check = authenticate(req, body, params, keys, acs3);
  if (check.ok && keys.freshness) {
    const problem = acs3
      ? keys.freshness.check(
          headerValue(req.headers['x-acs-date']),
          headerValue(req.headers['x-acs-signature-nonce']),
        )
      : keys.freshness.check(params['Timestamp'], params['SignatureNonce']);
    if (problem) check = { ok: false, ...problem, accessKeyId: check.accessKeyId };
  }
  return signatureMethod === undefined ? check : { ...check, signatureMethod };
}

function authenticate(
  req: IncomingMessage,
  body: Buffer,
  params: Record<string, string>,
  keys: CallerKeys,
  acs3: Acs3Authorization | undefined,
): CallerCheck {
  const authorization = req.headers.authorization;
  if (acs3) {
    const id = acs3.credential;
    const token = req.headers['x-acs-security-token'];
    const stringToSign = acs3StringToSign(req, acs3);
    if (acs3.algorithm === 'ACS3-RSA-SHA256') {
      const clientKey = keys.clientKeys?.get(id);
      if (!clientKey) return notFound(id);
      return verifyAcs3Rsa(stringToSign, acs3.signature, clientKey.publicKeyPem) &&
        acs3PayloadMatches(req, body)
        ? { ok: true, accessKeyId: id }
        : mismatch(id, stringToSign);
    }
    if (acs3.algorithm !== 'ACS3-HMAC-SHA256') {
      return reject(
        400,
        'IncompleteSignature',
        `The signature algorithm ${acs3.algorithm} is not supported.`,
        id,
      );
    }
    const key = keys.accessKeys.get(id);
    if (!key || key.revoked) return notFound(id);
    const tokenProblem = checkToken(key, typeof token === 'string' ? token : undefined);
    if (tokenProblem) return tokenProblem;
    if (!acs3PayloadMatches(req, body)) {
      return reject(
        400,
        'SignatureDoesNotMatch',
        'The x-acs-content-sha256 header does not match the body.',
        id,
      );
    }
    return verifyAcs3Hmac(stringToSign, acs3.signature, key.accessKeySecret)
      ? { ok: true, accessKeyId: id }
      : mismatch(id, stringToSign);
  }
  if (authorization) return reject(400, 'IncompleteSignature', 'The Authorization header is malformed.');

  const id = params['AccessKeyId'];
  const signature = params['Signature'];
  if (!id || !signature) {
    return reject(
      400,
      'IncompleteSignature',
      'The request signature does not conform to Aliyun standards.',
      id,
    );
  }
  const method = params['SignatureMethod'] ?? 'HMAC-SHA1';
  const stringToSign = rpcStringToSign(req.method ?? 'GET', params);
  if (method === 'SHA256withRSA') {
    // Alibaba's ClientKey signers (Java core, secrets-manager Go client) sign SignatureType=PRIVATEKEY along.
    if (params['SignatureType'] !== 'PRIVATEKEY') {
      return reject(
        400,
        'IncompleteSignature',
        'A SHA256withRSA signature needs SignatureType=PRIVATEKEY among the signed parameters.',
        id,
      );
    }
    const clientKey = keys.clientKeys?.get(id);
    if (!clientKey) return notFound(id);
    return verifyRpcRsa(stringToSign, signature, clientKey.publicKeyPem)
      ? { ok: true, accessKeyId: id }
      : mismatch(id, stringToSign);
  }
  if (method !== 'HMAC-SHA1') {
    return reject(400, 'IncompleteSignature', `The SignatureMethod ${method} is not supported.`, id);
  }
  const key = keys.accessKeys.get(id);
  if (!key || key.revoked) return notFound(id);
  const tokenProblem = checkToken(key, params['SecurityToken']);
  if (tokenProblem) return tokenProblem;
  return verifyRpcHmacSha1(stringToSign, signature, key.accessKeySecret)
    ? { ok: true, accessKeyId: id }
    : mismatch(id, stringToSign);
}

function checkToken(
  key: { accessKeyId: string; securityToken?: string; expiresAt?: number },
  token: string | undefined,
): CallerRejection | undefined {
  if (key.securityToken === undefined) return undefined;
  if (token !== key.securityToken) {
    return reject(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey.',
      key.accessKeyId,
    );
  }
  if (key.expiresAt !== undefined && key.expiresAt <= Date.now()) {
    return reject(
      400,
      'InvalidSecurityToken.Expired',
      'Specified SecurityToken is expired.',
      key.accessKeyId,
    );
  }
  return undefined;
}
