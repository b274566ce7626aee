import { OWNER, encodeKeyFor, isoDate, ownerXml, type OssBucketCall, type OssCall } from './call.js';
import { ossErrors } from './errors.js';
import { listPage, type ListPage } from './listing.js';
import { sendOss, sendXml } from './response.js';
import type { StoredBucket, StoredObject } from './store.js';
import { element, leaf } from './xml.js';

const DEFAULT_MAX_KEYS = 100;
const MAX_MAX_KEYS = 1000;

/** GET / — ListBuckets, with `prefix`, `marker`, `max-keys`. */
export function listBuckets(call: OssCall): void {
  const { query } = call.request;
  const prefix = query.get('prefix') ?? '';
  const marker = query.get('marker') ?? '';
  const maxKeys = readMaxKeys(query.get('max-keys'));
  const names = call.store.bucketNames().filter((name) => name.startsWith(prefix) && name > marker);
  const page = names.slice(0, maxKeys);
  const isTruncated = names.length > page.length;
  const paged = query.has('prefix') || query.has('marker') || query.has('max-keys');
  const buckets = page.map((name) => bucketXml('Bucket', call, call.store.requireBucket(name)));
  sendXml(
    call.res,
    call.requestId,
    200,
    element(
      'ListAllMyBucketsResult',
      paged ? leaf('Prefix', prefix) + leaf('Marker', marker) + leaf('MaxKeys', maxKeys) : '',
      paged ? leaf('IsTruncated', isTruncated) : '',
      isTruncated ? leaf('NextMarker', page[page.length - 1]) : '',
      ownerXml(),
      element('Buckets', ...buckets),
    ),
  );
}

/** PUT /bucket — PutBucket; answers `Location: /bucket` as OSS does. */
export function putBucket(call: OssBucketCall): void {
  call.store.createBucket(call.bucket);
  sendOss(call.res, call.requestId, 200, { Location: `/${call.bucket}`, 'Content-Length': 0 });
}

/** DELETE /bucket — DeleteBucket (only an empty one). */
export function deleteBucket(call: OssBucketCall): void {
  call.store.deleteBucket(call.bucket);
  sendOss(call.res, call.requestId, 204, {});
}

/** GET /bucket?bucketInfo */
export function getBucketInfo(call: OssBucketCall): void {
  const bucket = call.store.requireBucket(call.bucket);
  const info = bucketXml(
    'Bucket',
    call,
    bucket,
    ownerXml(),
    element('AccessControlList', leaf('Grant', 'private')),
  );
  sendXml(call.res, call.requestId, 200, element('BucketInfo', info));
}

/** GET /bucket?location */
export function getBucketLocation(call: OssBucketCall): void {
  call.store.requireBucket(call.bucket);
  sendXml(call.res, call.requestId, 200, leaf('LocationConstraint', call.region));
}

/** GET /bucket — ListObjects (V1: `marker`) or, with `list-type=2`, ListObjectsV2 (`continuation-token`, `start-after`). */
export function listObjects(call: OssBucketCall): void {
  const bucket = call.store.requireBucket(call.bucket);
  const { query } = call.request;
  const v2 = query.get('list-type') === '2';
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = readMaxKeys(query.get('max-keys'));
  const token = query.get('continuation-token');
  const after = v2
    ? token !== undefined
      ? decodeToken(token)
      : (query.get('start-after') ?? '')
    : (query.get('marker') ?? '');
  const page = listPage(bucket.objects.keys(), { prefix, after, delimiter, maxKeys });
  const encode = encodeKeyFor(call.request);
  const withOwner = !v2 || query.get('fetch-owner') === 'true';
  const contents = page.keys.map((key) => contentsXml(bucket.objects.get(key), encode, withOwner));
  const prefixes = page.commonPrefixes.map((common) =>
    element('CommonPrefixes', leaf('Prefix', encode(common))),
  );
  const encodingType = query.get('encoding-type') === 'url' ? leaf('EncodingType', 'url') : '';
  const head = v2
    ? [
        leaf('Name', bucket.name),
        leaf('Prefix', encode(prefix)),
        query.has('start-after') ? leaf('StartAfter', encode(query.get('start-after') ?? '')) : '',
        token !== undefined ? leaf('ContinuationToken', token) : '',
        leaf('MaxKeys', maxKeys),
        leaf('Delimiter', encode(delimiter)),
        encodingType,
        leaf('IsTruncated', page.isTruncated),
        nextTokenXml(page),
        leaf('KeyCount', page.keys.length + page.commonPrefixes.length),
      ]
    : [
        leaf('Name', bucket.name),
        leaf('Prefix', encode(prefix)),
        leaf('Marker', encode(query.get('marker') ?? '')),
        leaf('MaxKeys', maxKeys),
        leaf('Delimiter', encode(delimiter)),
        encodingType,
        leaf('IsTruncated', page.isTruncated),
        page.nextMarker === undefined ? '' : leaf('NextMarker', encode(page.nextMarker)),
      ];
  sendXml(call.res, call.requestId, 200, element('ListBucketResult', ...head, ...contents, ...prefixes));
}

function bucketXml(name: string, call: OssCall, bucket: StoredBucket, ...extra: string[]): string {
  return element(
    name,
    leaf('CreationDate', isoDate(bucket.creationDate)),
    leaf('ExtranetEndpoint', `${call.region}.aliyuncs.com`),
    leaf('IntranetEndpoint', `${call.region}-internal.aliyuncs.com`),
    leaf('Location', call.region),
    leaf('Name', bucket.name),
    leaf('Region', call.region.replace(/^oss-/, '')),
    leaf('StorageClass', 'Standard'),
    ...extra,
  );
}

function contentsXml(
  object: StoredObject | undefined,
  encode: (key: string) => string,
  withOwner: boolean,
): string {
  if (!object) return '';
  return element(
    'Contents',
    leaf('Key', encode(object.key)),
    leaf('LastModified', isoDate(object.lastModified)),
    leaf('ETag', object.etag),
    leaf('Type', object.type),
    leaf('Size', object.body.length),
    leaf('StorageClass', 'Standard'),
    withOwner ? element('Owner', leaf('ID', OWNER.id), leaf('DisplayName', OWNER.displayName)) : '',
  );
}

function nextTokenXml(page: ListPage): string {
  return page.nextMarker === undefined
    ? ''
    : leaf('NextContinuationToken', Buffer.from(page.nextMarker).toString('base64url'));
}

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) {
    throw ossErrors.invalidArgument(
      'The continuation token provided is incorrect.',
      'continuation-token',
      token,
    );
  }
  return Buffer.from(token, 'base64url').toString('utf8');
}

function readMaxKeys(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_MAX_KEYS;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > MAX_MAX_KEYS) {
    throw ossErrors.invalidArgument(
      `max-keys must be an integer between 0 and ${MAX_MAX_KEYS}.`,
      'max-keys',
      text,
    );
  }
  return value;
}
