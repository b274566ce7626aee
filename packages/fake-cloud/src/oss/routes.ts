import type { OssTarget } from './addressing.js';
import * as buckets from './bucket-api.js';
import type { OssBucketCall, OssCall } from './call.js';
import { ossErrors } from './errors.js';
import * as multipart from './multipart-api.js';
import * as objects from './object-api.js';
import type { OssRequest } from './request.js';

/** One OSS API operation: its name (for counters) and how it is served. */
export interface OssRoute {
  readonly action: string;
  readonly serve: (call: OssCall) => void;
}

/** Sub-resources the emulator does not serve; asking for one is `NotImplemented` rather than a silent wrong answer. */
const UNSUPPORTED = [
  'acl',
  'tagging',
  'symlink',
  'restore',
  'append',
  'cors',
  'lifecycle',
  'logging',
  'website',
  'referer',
  'policy',
  'versioning',
  'versions',
  'encryption',
  'worm',
  'inventory',
  'stat',
];

/**
 * Picks the operation for a request read as `target`; undefined when the
 * emulator does not know it. The action name is known before authentication,
 * so rejected calls are counted under the operation they tried.
 */
export function routeFor(request: OssRequest, target: OssTarget): OssRoute | undefined {
  const { method, query } = request;
  if (target.bucket === undefined) {
    return method === 'GET' ? { action: 'ListBuckets', serve: buckets.listBuckets } : undefined;
  }
  const unsupported = UNSUPPORTED.find((name) => query.has(name));
  if (unsupported !== undefined)
    return {
      action: `Unsupported(${unsupported})`,
      serve: () => {
        throw ossErrors.notImplemented(`?${unsupported}`);
      },
    };
  const onBucket = (action: string, serve: (call: OssBucketCall) => void): OssRoute => ({
    action,
    serve: (call) => serve(call as OssBucketCall),
  });

  if (target.key === '') {
    if (method === 'PUT') return onBucket('PutBucket', buckets.putBucket);
    if (method === 'DELETE') return onBucket('DeleteBucket', buckets.deleteBucket);
    if (method === 'POST' && query.has('delete'))
      return onBucket('DeleteMultipleObjects', objects.deleteMultipleObjects);
    if (method !== 'GET') return undefined;
    if (query.has('bucketInfo')) return onBucket('GetBucketInfo', buckets.getBucketInfo);
    if (query.has('location')) return onBucket('GetBucketLocation', buckets.getBucketLocation);
    if (query.has('uploads')) return onBucket('ListMultipartUploads', multipart.listMultipartUploads);
    return query.get('list-type') === '2'
      ? onBucket('ListObjectsV2', buckets.listObjects)
      : onBucket('ListObjects', buckets.listObjects);
  }

  const uploadId = query.has('uploadId');
  switch (method) {
    case 'PUT':
      if (uploadId && query.has('partNumber')) return onBucket('UploadPart', multipart.uploadPart);
      if (request.headers.has('x-oss-copy-source')) return onBucket('CopyObject', objects.copyObject);
      return onBucket('PutObject', objects.putObject);
    case 'POST':
      if (query.has('uploads')) return onBucket('InitiateMultipartUpload', multipart.initiateMultipartUpload);
      if (uploadId) return onBucket('CompleteMultipartUpload', multipart.completeMultipartUpload);
      return undefined;
    case 'GET':
      if (uploadId) return onBucket('ListParts', multipart.listParts);
      if (query.has('objectMeta')) return onBucket('GetObjectMeta', objects.getObjectMeta);
      return onBucket('GetObject', objects.getObject);
    case 'HEAD':
      if (query.has('objectMeta')) return onBucket('GetObjectMeta', objects.getObjectMeta);
      return onBucket('HeadObject', objects.headObject);
    case 'DELETE':
      if (uploadId) return onBucket('AbortMultipartUpload', multipart.abortMultipartUpload);
      return onBucket('DeleteObject', objects.deleteObject);
    default:
      return undefined;
  }
}
