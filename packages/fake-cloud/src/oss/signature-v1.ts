import { createHmac } from 'node:crypto';
import type { OssTarget } from './addressing.js';
import type { OssRequest } from './request.js';

/**
 * Query parameters that are part of the V1 canonicalized resource (OSS calls
 * them sub-resources); every other parameter (`prefix`, `max-keys` …) is not signed.
 */
export const V1_SUB_RESOURCES: ReadonlySet<string> = new Set([
  'acl',
  'append',
  'asyncFetch',
  'bucketInfo',
  'callback',
  'callback-var',
  'cname',
  'comp',
  'continuation-token',
  'cors',
  'delete',
  'encryption',
  'endTime',
  'img',
  'inventory',
  'inventoryId',
  'lifecycle',
  'live',
  'location',
  'logging',
  'objectMeta',
  'partNumber',
  'policy',
  'position',
  'qos',
  'referer',
  'replication',
  'replicationLocation',
  'replicationProgress',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'security-token',
  'sequential',
  'startTime',
  'stat',
  'status',
  'style',
  'styleName',
  'symlink',
  'tagging',
  'udf',
  'udfApplication',
  'udfApplicationLog',
  'udfId',
  'udfImage',
  'udfImageDesc',
  'udfName',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'vod',
  'website',
  'worm',
  'wormExtend',
  'wormId',
  'x-oss-ac-forward-allow',
  'x-oss-ac-source-ip',
  'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id',
  'x-oss-process',
  'x-oss-request-payer',
  'x-oss-traffic-limit',
]);

/** `/bucket/key?sub&sub=value` with the raw (unencoded) key and sorted sub-resources. */
export function v1CanonicalResource(target: OssTarget, query: ReadonlyMap<string, string>): string {
  let resource = target.bucket === undefined ? '/' : `/${target.bucket}/${target.key}`;
  const subResources = [...query.keys()].filter((name) => V1_SUB_RESOURCES.has(name)).sort();
  subResources.forEach((name, index) => {
    const value = query.get(name) ?? '';
    resource += `${index === 0 ? '?' : '&'}${name}${value === '' ? '' : `=${value}`}`;
  });
  return resource;
}

/**
 * VERB, Content-MD5, Content-Type, date (the URL's `Expires`, else
 * `x-oss-date`, else `Date`), sorted `x-oss-*` headers, canonicalized resource.
 */
export function v1StringToSign(request: OssRequest, target: OssTarget, expires?: string): string {
  const { headers } = request;
  const ossHeaders = [...headers.keys()]
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${(headers.get(name) ?? '').trim()}`);
  return [
    request.method,
    headers.get('content-md5') ?? '',
    headers.get('content-type') ?? '',
    expires ?? headers.get('x-oss-date') ?? headers.get('date') ?? '',
    ...ossHeaders,
    v1CanonicalResource(target, request.query),
  ].join('\n');
}

/** base64(HMAC-SHA1(secret, stringToSign)). */
export function v1Signature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha1', accessKeySecret).update(Buffer.from(stringToSign, 'utf8')).digest('base64');
}
