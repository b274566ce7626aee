import { createHash, createHmac } from 'node:crypto';
import type { OssTarget } from './addressing.js';
import type { OssRequest } from './request.js';

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';

/** `<AccessKeyId>/<yyyymmdd>/<region>/<product>/aliyun_v4_request`, taken apart. */
export interface V4Credential {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly product: string;
}

export function parseV4Credential(text: string): V4Credential | undefined {
  const parts = text.split('/');
  if (parts.length !== 5 || parts[4] !== 'aliyun_v4_request') return undefined;
  const [accessKeyId = '', date = '', region = '', product = ''] = parts;
  if (accessKeyId === '' || !/^\d{8}$/.test(date) || region === '' || product === '') return undefined;
  return { accessKeyId, date, region, product };
}

/** RFC 3986 encoding as OSS V4 wants it: encodeURIComponent plus `!'()*`. */
export function v4Encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The V4 canonical request: verb, URI `/bucket/key` (encoded, `/` kept), sorted
 * encoded query (a parameter without value is its name alone), the canonical
 * headers (`content-type`, `content-md5`, every `x-oss-*`, plus the additional
 * ones), the additional header names, and the payload hash header or `UNSIGNED-PAYLOAD`.
 */
export function v4CanonicalRequest(
  request: OssRequest,
  target: OssTarget,
  additionalHeaders: readonly string[],
  omitQuery: ReadonlySet<string> = new Set(),
): string {
  const uri = v4Encode(target.bucket === undefined ? '/' : `/${target.bucket}/${target.key}`).replace(
    /%2F/g,
    '/',
  );
  const query = [...request.query.entries()]
    .filter(([name]) => !omitQuery.has(name))
    .map(([name, value]) => [v4Encode(name), value === '' ? '' : v4Encode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .join('&');
  const signedNames = new Set(additionalHeaders);
  for (const name of request.headers.keys()) {
    if (name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-')) signedNames.add(name);
  }
  const canonicalHeaders = [...signedNames]
    .sort()
    .map((name) => `${name}:${(request.headers.get(name) ?? '').trim()}\n`)
    .join('');
  return [
    request.method,
    uri,
    query,
    canonicalHeaders,
    additionalHeaders.join(';'),
    request.headers.get('x-oss-content-sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
}

/** `OSS4-HMAC-SHA256 \n <datetime> \n <scope> \n hex(sha256(canonical request))`. */
export function v4StringToSign(datetime: string, credential: V4Credential, canonicalRequest: string): string {
  const scope = `${credential.date}/${credential.region}/${credential.product}/aliyun_v4_request`;
  return [V4_ALGORITHM, datetime, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join(
    '\n',
  );
}

/** hex(HMAC chain `aliyun_v4<secret>` → date → region → product → `aliyun_v4_request` → string to sign). */
export function v4Signature(accessKeySecret: string, credential: V4Credential, stringToSign: string): string {
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data).digest();
  const dateKey = hmac(`aliyun_v4${accessKeySecret}`, credential.date);
  const regionKey = hmac(dateKey, credential.region);
  const productKey = hmac(regionKey, credential.product);
  const signingKey = hmac(productKey, 'aliyun_v4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}
