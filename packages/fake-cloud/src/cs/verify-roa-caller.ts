import type { IncomingMessage } from 'node:http';
import { notFound, reject, type CallerCheck } from '../signature/verify-caller.js';
import type { RequestFreshness } from '../signature/freshness.js';
import {
  contentMd5Matches,
  parseRoaAuthorization,
  roaStringToSign,
  verifyRoaHmacSha1,
} from '../signature/roa.js';
import { headerValue } from '../http/params.js';
import type { StoredAccessKeyStore } from '../state/access-keys.js';

export interface RoaCallerKeys {
  accessKeys: StoredAccessKeyStore;
  freshness: RequestFreshness;
}

/**
 * Authenticates an ROA request (`@alicloud/pop-core`'s `ROAClient`, the
 * Java/Python/Go V1 cores) as the POP gateway does: `Authorization: acs
 * AK:signature` over the string-to-sign of {@link roaStringToSign}, a
 * matching `Content-MD5`, then a fresh `Date` and an unused
 * `x-acs-signature-nonce`. Unknown or revoked keys answer
 * `InvalidAccessKeyId.NotFound` (HTTP 404), as the real services do.
 */
export function verifyRoaCaller(
  req: IncomingMessage,
  body: Buffer,
  path: string,
  query: Record<string, string>,
  keys: RoaCallerKeys,
): CallerCheck {
  const authorization = parseRoaAuthorization(headerValue(req.headers.authorization));
  if (!authorization) {
    return reject(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  }
  const id = authorization.accessKeyId;
  const method = headerValue(req.headers['x-acs-signature-method']) ?? 'HMAC-SHA1';
  if (method !== 'HMAC-SHA1') {
    return reject(400, 'IncompleteSignature', `The signature method ${method} is not supported.`, id);
  }
  const key = keys.accessKeys.get(id);
  if (!key || key.revoked) return notFound(id);
  if (!contentMd5Matches(req, body)) {
    return reject(
      400,
      'InvalidContentMD5',
      'The Content-MD5 you specified did not match what we received.',
      id,
    );
  }
  const stringToSign = roaStringToSign(req, path, query);
  if (!verifyRoaHmacSha1(stringToSign, authorization.signature, key.accessKeySecret)) {
    return reject(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      id,
    );
  }
  const stale = keys.freshness.check(
    headerValue(req.headers.date),
    headerValue(req.headers['x-acs-signature-nonce']),
  );
  return stale ? { ...stale, ok: false, accessKeyId: id } : { ok: true, accessKeyId: id };
}
