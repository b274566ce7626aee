import { contentHeadersOf, encodeKeyFor, isoDate, metaOf, type OssBucketCall } from './call.js';
import { ossErrors } from './errors.js';
import { checkContentMd5 } from './object-api.js';
import { sendOss, sendXml } from './response.js';
import type { MultipartUpload } from './multipart.js';
import { element, leaf, parseCompleteMultipartUpload } from './xml.js';

/** The upload named by `?uploadId=` on this bucket and key: `NoSuchBucket` / `NoSuchUpload` otherwise. */
function requireUpload(call: OssBucketCall): MultipartUpload {
  call.store.requireBucket(call.bucket);
  return call.store.uploads.require(call.request.query.get('uploadId') ?? '', call.bucket, call.target.key);
}

/** `<Bucket/><Key/><UploadId/>`: how the answers about one upload name it (the key URL-encoded on request). */
function uploadNamed(call: OssBucketCall, upload: MultipartUpload): string {
  const encode = encodeKeyFor(call.request);
  return leaf('Bucket', call.bucket) + leaf('Key', encode(upload.key)) + leaf('UploadId', upload.uploadId);
}

/** POST /bucket/key?uploads — InitiateMultipartUpload. */
export function initiateMultipartUpload(call: OssBucketCall): void {
  call.store.requireBucket(call.bucket);
  const upload = call.store.uploads.initiate(
    call.bucket,
    call.target.key,
    contentHeadersOf(call.request),
    metaOf(call.request),
  );
  sendXml(call.res, call.requestId, 200, element('InitiateMultipartUploadResult', uploadNamed(call, upload)));
}

/** PUT /bucket/key?partNumber=N&uploadId=… — UploadPart; answers the part's ETag header. */
export function uploadPart(call: OssBucketCall): void {
  const upload = requireUpload(call);
  checkContentMd5(call);
  const part = call.store.uploads.uploadPart(
    upload,
    Number(call.request.query.get('partNumber')),
    call.request.body,
  );
  sendOss(call.res, call.requestId, 200, { ETag: part.etag, 'Content-Length': 0 });
}

/** POST /bucket/key?uploadId=… with the part list — CompleteMultipartUpload. */
export function completeMultipartUpload(call: OssBucketCall): void {
  const upload = requireUpload(call);
  const listed = parseCompleteMultipartUpload(call.request.body.toString('utf8'));
  if (!listed) throw ossErrors.malformedXml();
  const assembled = call.store.uploads.complete(upload, listed);
  const object = call.store.putObject(call.bucket, upload.key, assembled.body, {
    contentHeaders: upload.contentHeaders,
    meta: upload.meta,
    etag: assembled.etag,
    type: 'Multipart',
  });
  const encode = encodeKeyFor(call.request);
  sendXml(
    call.res,
    call.requestId,
    200,
    element(
      'CompleteMultipartUploadResult',
      call.request.query.get('encoding-type') === 'url' ? leaf('EncodingType', 'url') : '',
      leaf('Location', `http://${call.bucket}.${call.region}.aliyuncs.com/${encodeURIComponent(upload.key)}`),
      leaf('Bucket', call.bucket),
      leaf('Key', encode(upload.key)),
      leaf('ETag', object.etag),
    ),
    { ETag: object.etag },
  );
}

/** DELETE /bucket/key?uploadId=… — AbortMultipartUpload. */
export function abortMultipartUpload(call: OssBucketCall): void {
  const upload = requireUpload(call);
  call.store.uploads.abort(upload);
  sendOss(call.res, call.requestId, 204, {});
}

/** GET /bucket/key?uploadId=… — ListParts, with `max-parts` and `part-number-marker`. */
export function listParts(call: OssBucketCall): void {
  const upload = requireUpload(call);
  const { query } = call.request;
  const marker = Number(query.get('part-number-marker') ?? '0') || 0;
  const maxParts = Math.min(Number(query.get('max-parts') ?? '1000') || 1000, 1000);
  const after = [...upload.parts.values()]
    .filter((part) => part.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, maxParts);
  const isTruncated = after.length > page.length;
  sendXml(
    call.res,
    call.requestId,
    200,
    element(
      'ListPartsResult',
      uploadNamed(call, upload),
      leaf('PartNumberMarker', marker),
      leaf('NextPartNumberMarker', page[page.length - 1]?.partNumber ?? marker),
      leaf('MaxParts', maxParts),
      leaf('IsTruncated', isTruncated),
      ...page.map((part) =>
        element(
          'Part',
          leaf('PartNumber', part.partNumber),
          leaf('LastModified', isoDate(part.lastModified)),
          leaf('ETag', part.etag),
          leaf('Size', part.body.length),
        ),
      ),
    ),
  );
}

/** GET /bucket?uploads — ListMultipartUploads (one page, optional `prefix`). */
export function listMultipartUploads(call: OssBucketCall): void {
  call.store.requireBucket(call.bucket);
  const prefix = call.request.query.get('prefix') ?? '';
  const encode = encodeKeyFor(call.request);
  const uploads = call.store.uploads.listIn(call.bucket).filter((upload) => upload.key.startsWith(prefix));
  sendXml(
    call.res,
    call.requestId,
    200,
    element(
      'ListMultipartUploadsResult',
      leaf('Bucket', call.bucket),
      leaf('KeyMarker', ''),
      leaf('UploadIdMarker', ''),
      leaf('NextKeyMarker', ''),
      leaf('NextUploadIdMarker', ''),
      leaf('Delimiter', ''),
      leaf('Prefix', encode(prefix)),
      leaf('MaxUploads', 1000),
      leaf('IsTruncated', false),
      ...uploads.map((upload) =>
        element(
          'Upload',
          leaf('Key', encode(upload.key)),
          leaf('UploadId', upload.uploadId),
          leaf('Initiated', isoDate(upload.initiated)),
        ),
      ),
    ),
  );
}
