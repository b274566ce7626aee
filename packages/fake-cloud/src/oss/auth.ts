import { timingSafeEqual } from 'node:crypto';
import type { AccessKeyStore, RamAccessKey } from '../types.js';
import type { OssTarget } from './addressing.js';
import { readClaim, type Claim, type OssAuthScheme } from './claims.js';
import { ossErrors } from './errors.js';
import type { OssRequest } from './request.js';

export type { OssAuthScheme };

export interface OssAuthResult {
  readonly accessKeyId: string;
  readonly scheme: OssAuthScheme;
  /** The reading of bucket and key whose signature matched. */
  readonly target: OssTarget;
}

export interface OssAuthContext {
  readonly accessKeys: AccessKeyStore;
  readonly now: () => number;
}

/**
 * Verifies the request's V1 or V4 signature (header or signed URL) against
 * the key store, trying each candidate reading of bucket and key; throws the
 * `OssError` real OSS answers otherwise. `onClaim` learns the key id and scheme
 * as soon as they are read, so failures are counted per key too.
 */
export function authenticate(
  request: OssRequest,
  candidates: readonly OssTarget[],
  context: OssAuthContext,
  onClaim: (claim: { accessKeyId: string; scheme: OssAuthScheme }) => void,
): OssAuthResult {
  const claim = readClaim(request);
  onClaim({ accessKeyId: claim.accessKeyId, scheme: claim.scheme });
  const key = context.accessKeys.get(claim.accessKeyId);
  if (!key || key.revoked) throw ossErrors.invalidAccessKeyId(claim.accessKeyId);
  checkSecurityToken(key, claim);
  if (claim.expiresAt && claim.expiresAt.ms < context.now()) {
    throw ossErrors.requestExpired(claim.expiresAt.shown, new Date(context.now()).toISOString());
  }
  let first: ReturnType<Claim['expected']> | undefined;
  for (const target of candidates) {
    const expected = claim.expected(key.accessKeySecret, target);
    first ??= expected;
    if (sameText(expected.signature, claim.signature)) {
      return { accessKeyId: claim.accessKeyId, scheme: claim.scheme, target };
    }
  }
  throw ossErrors.signatureDoesNotMatch([
    ...(first?.canonicalRequest === undefined ? [] : [['CanonicalRequest', first.canonicalRequest] as const]),
    ['StringToSign', first?.stringToSign ?? ''],
    ['SignatureProvided', claim.signature],
    ['OSSAccessKeyId', claim.accessKeyId],
  ]);
}

/**
 * An STS key must come with its token; a long-term key must come without one.
 * Real OSS words both as an invalid security token under `InvalidAccessKeyId`.
 */
function checkSecurityToken(key: RamAccessKey, claim: Claim): void {
  if (key.securityToken === undefined && claim.securityToken === undefined) return;
  if (key.securityToken !== undefined && claim.securityToken === key.securityToken) return;
  throw ossErrors.invalidAccessKeyId(claim.accessKeyId, 'The security token you provided is invalid.');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
