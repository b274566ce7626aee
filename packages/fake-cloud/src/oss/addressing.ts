import { isIP } from 'node:net';
import type { OssRequest } from './request.js';

/** What a request is about: the service (no bucket), a bucket (`key` empty), or an object. */
export interface OssTarget {
  readonly bucket: string | undefined;
  readonly key: string;
}

/** OSS bucket naming: 3–63 lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name);
}

/**
 * Every reading of the request's bucket and key, most plausible first. The
 * signature decides which one the client meant, because ali-oss addresses the
 * same object in several ways:
 * - virtual host: `Host: <bucket>.<anything>` and the key as the path. ali-oss
 *   does this for host-name endpoints, and for IP endpoints it sends
 *   `Host: <bucket>.oss-<region>.aliyuncs.com` to `http://<ip>:<port>/<key>`;
 * - path style: `/<bucket>/<key>` (ali-oss `sldEnable: true`);
 * - the service itself: `GET /` (ListBuckets);
 * - no bucket anywhere (a `cname` client, or a `signatureUrlV4` URL made for an
 *   IP endpoint and fetched as is): the path is the key of some existing bucket.
 */
export function candidateTargets(request: OssRequest, existingBuckets: Iterable<string>): OssTarget[] {
  const candidates: OssTarget[] = [];
  const seen = new Set<string>();
  const add = (bucket: string | undefined, key: string): void => {
    const id = `${bucket ?? ''}\n${key}`;
    if (seen.has(id)) return;
    seen.add(id);
    candidates.push({ bucket, key });
  };
  const pathKey = request.path.slice(1);

  const hostBucket = virtualHostBucket(request.hostname);
  if (hostBucket !== undefined) add(hostBucket, pathKey);

  if (request.path === '/') {
    add(undefined, '');
  } else {
    const slash = pathKey.indexOf('/');
    const first = slash === -1 ? pathKey : pathKey.slice(0, slash);
    if (isValidBucketName(first)) add(first, slash === -1 ? '' : pathKey.slice(slash + 1));
  }

  for (const bucket of existingBuckets) add(bucket, pathKey);
  // Nothing plausible: keep the literal path-style reading so the signature error can show what was expected.
  if (candidates.length === 0) {
    const slash = pathKey.indexOf('/');
    add(slash === -1 ? pathKey : pathKey.slice(0, slash), slash === -1 ? '' : pathKey.slice(slash + 1));
  }
  return candidates;
}

function virtualHostBucket(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (bare === '' || isIP(bare) !== 0) return undefined;
  const dot = bare.indexOf('.');
  if (dot === -1) return undefined;
  const label = bare.slice(0, dot);
  return isValidBucketName(label) ? label : undefined;
}
