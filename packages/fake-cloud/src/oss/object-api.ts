import { createHash } from 'node:crypto';
import { contentHeadersOf, isoDate, metaOf, type OssBucketCall } from './call.js';
import { OssError, ossErrors } from './errors.js';
import { sendOss, sendXml } from './response.js';
import type { StoredObject } from './store.js';
import { element, leaf, parseDeleteObjects } from './xml.js';
import { etagListed, parseRange } from './conditions.js';

/** GetObject query parameters that override an answer header, as OSS allows for signed URLs. */
const RESPONSE_OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ['response-content-type', 'Content-Type'],
  ['response-content-language', 'Content-Language'],
  ['response-expires', 'Expires'],
  ['response-cache-control', 'Cache-Control'],
  ['response-content-disposition', 'Content-Disposition'],
  ['response-content-encoding', 'Content-Encoding'],
];

/** PUT /bucket/key — PutObject; a `Content-MD5` that does not match the body is `InvalidDigest`. */
export function putObject(call: OssBucketCall): void {
  checkContentMd5(call);
  const object = call.store.putObject(call.bucket, call.target.key, call.request.body, {
    contentHeaders: contentHeadersOf(call.request),
    meta: metaOf(call.request),
  });
  sendOss(call.res, call.requestId, 200, {
    ETag: object.etag,
    'Content-MD5': createHash('md5').update(object.body).digest('base64'),
    'Content-Length': 0,
  });
}

/** PUT /bucket/key with `x-oss-copy-source: /srcbucket/url-encoded-key` — CopyObject (metadata COPY or REPLACE). */
export function copyObject(call: OssBucketCall): void {
  const source = parseCopySource(call.request.headers.get('x-oss-copy-source') ?? '');
  call.store.requireBucket(call.bucket);
  call.store.requireBucket(source.bucket);
  const original = call.store.getObject(source.bucket, source.key);
  if (!original) throw ossErrors.noSuchKey(source.key);
  const replace =
    (call.request.headers.get('x-oss-metadata-directive') ?? 'COPY').toUpperCase() === 'REPLACE';
  const copy = call.store.putObject(call.bucket, call.target.key, original.body, {
    contentHeaders: replace ? contentHeadersOf(call.request) : original.contentHeaders,
    meta: replace ? metaOf(call.request) : original.meta,
    etag: original.etag,
    type: original.type,
  });
  sendXml(
    call.res,
    call.requestId,
    200,
    element('CopyObjectResult', leaf('ETag', copy.etag), leaf('LastModified', isoDate(copy.lastModified))),
    { ETag: copy.etag },
  );
}

/** GET /bucket/key — GetObject, with `Range: bytes=…`, `If-Match`, `If-None-Match` and `response-*` overrides. */
export function getObject(call: OssBucketCall): void {
  const object = requireObject(call);
  if (answeredByPrecondition(call, object)) return;
  const headers = objectHeaders(object);
  for (const [parameter, header] of RESPONSE_OVERRIDES) {
    const value = call.request.query.get(parameter);
    if (value !== undefined) headers[header] = value;
  }
  const range = parseRange(call.request.headers.get('range'), object.body.length);
  if (range) {
    const [start, end] = range;
    headers['Content-Range'] = `bytes ${start}-${end}/${object.body.length}`;
    headers['Content-Length'] = end - start + 1;
    sendOss(call.res, call.requestId, 206, headers, object.body.subarray(start, end + 1));
    return;
  }
  sendOss(call.res, call.requestId, 200, headers, object.body);
}

/** HEAD /bucket/key — HeadObject: GetObject's headers, no body. */
export function headObject(call: OssBucketCall): void {
  const object = requireObject(call);
  if (answeredByPrecondition(call, object)) return;
  sendOss(call.res, call.requestId, 200, objectHeaders(object), undefined, true);
}

/** HEAD or GET /bucket/key?objectMeta — GetObjectMeta: size, ETag, date. */
export function getObjectMeta(call: OssBucketCall): void {
  const object = requireObject(call);
  sendOss(
    call.res,
    call.requestId,
    200,
    {
      ETag: object.etag,
      'Last-Modified': object.lastModified.toUTCString(),
      'Content-Length': object.body.length,
    },
    undefined,
    true,
  );
}

/** DELETE /bucket/key — DeleteObject; 204 whether or not the key existed, as on OSS. */
export function deleteObject(call: OssBucketCall): void {
  call.store.deleteObject(call.bucket, call.target.key);
  sendOss(call.res, call.requestId, 204, {});
}

/** POST /bucket?delete — DeleteMultipleObjects (at most 1000 keys; `Quiet` lists nothing back). */
export function deleteMultipleObjects(call: OssBucketCall): void {
  call.store.requireBucket(call.bucket);
  checkContentMd5(call);
  const parsed = parseDeleteObjects(call.request.body.toString('utf8'));
  if (!parsed || parsed.keys.length === 0 || parsed.keys.length > 1000) throw ossErrors.malformedXml();
  for (const key of parsed.keys) call.store.deleteObject(call.bucket, key);
  const deleted = parsed.quiet ? [] : parsed.keys.map((key) => element('Deleted', leaf('Key', key)));
  sendXml(call.res, call.requestId, 200, element('DeleteResult', ...deleted));
}

function requireObject(call: OssBucketCall): StoredObject {
  call.store.requireBucket(call.bucket);
  const object = call.store.getObject(call.bucket, call.target.key);
  if (!object) throw ossErrors.noSuchKey(call.target.key);
  return object;
}

function objectHeaders(object: StoredObject): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'Content-Length': object.body.length,
    ETag: object.etag,
    'Last-Modified': object.lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
    'x-oss-object-type': object.type,
    'x-oss-storage-class': 'Standard',
  };
  for (const [name, value] of Object.entries(object.contentHeaders)) headers[capitalize(name)] = value;
  for (const [name, value] of Object.entries(object.meta)) headers[name] = value;
  return headers;
}

/** Answers 304 or 412 when `If-None-Match` / `If-Match` say so; true when it did. */
function answeredByPrecondition(call: OssBucketCall, object: StoredObject): boolean {
  const ifMatch = call.request.headers.get('if-match');
  if (ifMatch !== undefined && !etagListed(ifMatch, object.etag)) {
    throw new OssError(
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold.',
      [['Condition', 'If-Match']],
    );
  }
  const ifNoneMatch = call.request.headers.get('if-none-match');
  if (ifNoneMatch !== undefined && etagListed(ifNoneMatch, object.etag)) {
    sendOss(call.res, call.requestId, 304, {
      ETag: object.etag,
      'Last-Modified': object.lastModified.toUTCString(),
    });
    return true;
  }
  return false;
}

function parseCopySource(header: string): { bucket: string; key: string } {
  const withoutVersion = header.split('?')[0] ?? '';
  const path = withoutVersion.startsWith('/') ? withoutVersion.slice(1) : withoutVersion;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw ossErrors.invalidArgument(
      'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.',
      'x-oss-copy-source',
      header,
    );
  }
  try {
    return { bucket: path.slice(0, slash), key: decodeURIComponent(path.slice(slash + 1)) };
  } catch {
    throw ossErrors.invalidArgument(
      'Copy Source is not valid percent-encoding.',
      'x-oss-copy-source',
      header,
    );
  }
}

/** A `Content-MD5` header that does not match the body is `InvalidDigest`. */
export function checkContentMd5(call: OssBucketCall): void {
  const claimed = call.request.headers.get('content-md5');
  if (claimed === undefined) return;
  if (createHash('md5').update(call.request.body).digest('base64') !== claimed.trim())
    throw ossErrors.invalidDigest();
}

function capitalize(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_all, dash: string, letter: string) => dash + letter.toUpperCase());
}
