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
import type { OssTarget } from './addressing.js';

/** How a request proved who sent it. */
export type OssAuthScheme = 'v1-header' | 'v1-url' | 'v4-header' | 'v4-url';

/** What a request claims about its signer, read before any key lookup. */
export interface Claim {
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

/** Reads the V1/V4 header or signed-URL credentials; malformed ones are `InvalidArgument`, none is `AccessDenied`. */
export function readClaim(request: OssRequest): Claim {
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
