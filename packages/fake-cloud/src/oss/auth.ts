import { timingSafeEqual } from 'node:crypto';
import type { AccessKeyStore, RamAccessKey } from '../types.js';
import type { OssTarget } from './addressing.js';
import { ossErrors } from './errors.js';
import type { OssRequest } from './request.js';
import { v1Signature, v1StringToSign } from './signature-v1.js';
import {
  V4_ALGORITHM,
  parseV4Credential,
  v4CanonicalRequest,
  v4Signature,
  v4StringToSign,
  type V4Credential,
} from './signature-v4.js';

/** How a request proved who sent it. */
export type OssAuthScheme = 'v1-header' | 'v1-url' | 'v4-header' | 'v4-url';

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

/** Reading of the credentials a request carries, before any key lookup. */
interface Claim {
  scheme: OssAuthScheme;
  accessKeyId: string;
  signature: string;
  securityToken: string | undefined;
  /** The signature the claim would need, for one reading of bucket and key. */
  expected(
    secret: string,
    target: OssTarget,
  ): { signature: string; stringToSign: string; canonicalRequest?: string };
  /** Signed URLs only: when the URL stops working, epoch ms. */
  expiresAt?: { ms: number; shown: string };
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

function readClaim(request: OssRequest): Claim {
  const authorization = request.headers.get('authorization');
  if (authorization !== undefined) {
    if (authorization.startsWith(`${V4_ALGORITHM} `)) return v4HeaderClaim(request, authorization);
    if (authorization.startsWith('OSS ')) return v1HeaderClaim(request, authorization);
    throw ossErrors.invalidArgument('Authorization header is invalid.', 'Authorization', authorization);
  }
  if (request.query.has('x-oss-signature-version')) return v4UrlClaim(request);
  if (request.query.has('OSSAccessKeyId')) return v1UrlClaim(request);
  throw ossErrors.anonymous();
}

function v1HeaderClaim(request: OssRequest, authorization: string): Claim {
  const match = /^OSS ([^:\s]+):(\S+)$/.exec(authorization.trim());
  if (!match)
    throw ossErrors.invalidArgument('Authorization header is invalid.', 'Authorization', authorization);
  return {
    scheme: 'v1-header',
    accessKeyId: match[1] ?? '',
    signature: match[2] ?? '',
    securityToken: request.headers.get('x-oss-security-token'),
    expected(secret, target) {
      const stringToSign = v1StringToSign(request, target);
      return { signature: v1Signature(secret, stringToSign), stringToSign };
    },
  };
}

function v1UrlClaim(request: OssRequest): Claim {
  const expires = request.query.get('Expires') ?? '';
  const signature = request.query.get('Signature');
  if (!/^\d+$/.test(expires) || signature === undefined) {
    throw ossErrors.invalidArgument(
      'Signed URL needs OSSAccessKeyId, Expires and Signature.',
      'Expires',
      expires,
    );
  }
  return {
    scheme: 'v1-url',
    accessKeyId: request.query.get('OSSAccessKeyId') ?? '',
    signature,
    securityToken: request.query.get('security-token'),
    expiresAt: { ms: Number(expires) * 1000, shown: new Date(Number(expires) * 1000).toISOString() },
    expected(secret, target) {
      const stringToSign = v1StringToSign(request, target, expires);
      return { signature: v1Signature(secret, stringToSign), stringToSign };
    },
  };
}

function v4HeaderClaim(request: OssRequest, authorization: string): Claim {
  const fields = new Map<string, string>();
  for (const part of authorization.slice(V4_ALGORITHM.length + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = parseV4Credential(fields.get('Credential') ?? '');
  const signature = fields.get('Signature');
  const datetime = request.headers.get('x-oss-date');
  if (!credential || signature === undefined || datetime === undefined) {
    throw ossErrors.invalidArgument('Authorization header is invalid.', 'Authorization', authorization);
  }
  const additional = splitHeaderNames(fields.get('AdditionalHeaders'));
  return {
    scheme: 'v4-header',
    accessKeyId: credential.accessKeyId,
    signature,
    securityToken: request.headers.get('x-oss-security-token'),
    expected: v4Expected(request, credential, datetime, additional, new Set()),
  };
}

function v4UrlClaim(request: OssRequest): Claim {
  const { query } = request;
  const credential = parseV4Credential(query.get('x-oss-credential') ?? '');
  const signature = query.get('x-oss-signature');
  const datetime = query.get('x-oss-date') ?? '';
  const expires = query.get('x-oss-expires') ?? '';
  const issuedAt = parseV4Datetime(datetime);
  if (query.get('x-oss-signature-version') !== V4_ALGORITHM) {
    throw ossErrors.invalidArgument(
      'Unsupported signature version.',
      'x-oss-signature-version',
      query.get('x-oss-signature-version'),
    );
  }
  if (!credential || signature === undefined || issuedAt === undefined || !/^\d+$/.test(expires)) {
    throw ossErrors.invalidArgument(
      'Signed URL is missing or malforms x-oss-credential, x-oss-date, x-oss-expires or x-oss-signature.',
    );
  }
  const expiresMs = issuedAt + Number(expires) * 1000;
  return {
    scheme: 'v4-url',
    accessKeyId: credential.accessKeyId,
    signature,
    securityToken: query.get('x-oss-security-token'),
    expiresAt: { ms: expiresMs, shown: new Date(expiresMs).toISOString() },
    expected: v4Expected(
      request,
      credential,
      datetime,
      splitHeaderNames(query.get('x-oss-additional-headers')),
      new Set(['x-oss-signature']),
    ),
  };
}

function v4Expected(
  request: OssRequest,
  credential: V4Credential,
  datetime: string,
  additionalHeaders: string[],
  omitQuery: ReadonlySet<string>,
): Claim['expected'] {
  return (secret, target) => {
    const canonicalRequest = v4CanonicalRequest(request, target, additionalHeaders, omitQuery);
    const stringToSign = v4StringToSign(datetime, credential, canonicalRequest);
    return { signature: v4Signature(secret, credential, stringToSign), stringToSign, canonicalRequest };
  };
}

function splitHeaderNames(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  return text
    .split(';')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/** `20240102T030405Z` → epoch ms. */
function parseV4Datetime(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s);
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
