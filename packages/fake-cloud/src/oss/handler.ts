import type { AccessKeyStore, ServiceHandler } from '../types.js';
import { candidateTargets, type OssTarget } from './addressing.js';
import { authenticate } from './auth.js';
import type { OssBucketCall } from './call.js';
import { OssError, ossErrors } from './errors.js';
import { readOssRequest } from './request.js';
import { newOssRequestId, sendOssError } from './response.js';
import { routeFor } from './routes.js';
import { OssStore } from './store.js';

export interface OssContext {
  /** Keys that may sign requests; revoked or unknown ones get `InvalidAccessKeyId`. */
  accessKeys: AccessKeyStore;
  /** Buckets and objects; pass one to pre-create buckets or inspect what was stored. Default: an empty {@link OssStore}. */
  store?: OssStore;
  /** Region named in answers (`Location`, endpoints). Default `oss-cn-hangzhou`. Signatures are accepted for any region. */
  region?: string;
  /** Clock that decides whether a signed URL has expired, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** The OSS request handler, with the store it serves from. */
export interface OssHandler extends ServiceHandler {
  readonly store: OssStore;
}

/**
 * Serves the OSS API (path-style and virtual-host addressing), verifying V1
 * and V4 signatures from headers or signed URLs. See section "OSS" of the fake-cloud README
 * for the operations and the recommended ali-oss options.
 */
export function createOssHandler(context: OssContext): OssHandler {
  const store = context.store ?? new OssStore();
  const region = context.region ?? 'oss-cn-hangzhou';
  const now = context.now ?? Date.now;
  const handler: ServiceHandler = (req, body, res, note) => {
    const requestId = newOssRequestId();
    const method = (req.method ?? 'GET').toUpperCase();
    let hostId = `${region}.aliyuncs.com`;
    try {
      const request = readOssRequest(req, body);
      const candidates = candidateTargets(request, store.bucketNames());
      const guess = candidates[0];
      if (guess) {
        note.action = routeFor(request, guess)?.action;
        hostId = hostIdOf(guess, region);
      }
      const { target } = authenticate(
        request,
        candidates,
        { accessKeys: context.accessKeys, now },
        (claim) => {
          note.accessKeyId = claim.accessKeyId;
          note.signatureMethod = claim.scheme.startsWith('v4') ? 'OSS4-HMAC-SHA256' : 'HMAC-SHA1';
        },
      );
      hostId = hostIdOf(target, region);
      const route = routeFor(request, target);
      note.action = route?.action;
      if (!route)
        throw ossErrors.notImplemented(
          `${request.method} ${target.key === '' ? 'on a bucket' : 'on an object'} with these parameters`,
        );
      const call: OssBucketCall = {
        request,
        target,
        store,
        res,
        requestId,
        region,
        bucket: target.bucket ?? '',
      };
      route.serve(call);
    } catch (error) {
      if (!(error instanceof OssError)) throw error;
      note.errorCode = error.code;
      sendOssError(res, requestId, method, hostId, error);
    }
  };
  return Object.assign(handler, { store });
}

function hostIdOf(target: OssTarget, region: string): string {
  return target.bucket === undefined ? `${region}.aliyuncs.com` : `${target.bucket}.${region}.aliyuncs.com`;
}
