import { newRequestId } from '../ids.js';
import { sendError, sendJson, type ErrorFormat } from '../http/errors.js';
import { headerValue, queryParams, splitUrl } from '../http/params.js';
import { RequestFreshness } from '../signature/freshness.js';
import type { StoredAccessKeyStore } from '../state/access-keys.js';
import type { ServiceHandler } from '../types.js';
import { verifyRoaCaller } from './verify-roa-caller.js';

export interface CsContext {
  /** RAM user keys (the ones held in RAM secrets). */
  accessKeys: StoredAccessKeyStore;
  /** How the gateway answers: POP JSON `{RequestId, HostId, Code, Message}`. */
  errorFormat: ErrorFormat;
}

/** The clusters every fake CS holds. */
const CLUSTERS = [
  { cluster_id: 'c-fake-cloud-1', name: 'fake-cluster-1', region_id: 'cn-hangzhou', state: 'running' },
  { cluster_id: 'c-fake-cloud-2', name: 'fake-cluster-2', region_id: 'cn-hangzhou', state: 'running' },
] as const;

/**
 * Container Service (CS, API 2015-12-15), standing for any ROA product: the
 * gateway authenticates every request (`Authorization: acs AK:signature`,
 * see `verify-roa-caller.ts`) and answers its errors in the POP JSON shape;
 * `GET /clusters` lists two clusters and `GET /clusters/{id}` describes one.
 * An unknown cluster id is answered by the CS back end itself in its own
 * shape (`{code, message, requestId, status}`, HTTP 404) — a non-key error
 * for adapter tests.
 */
export function createCsHandler(ctx: CsContext): ServiceHandler {
  const keys = { accessKeys: ctx.accessKeys, freshness: new RequestFreshness() };
  return (req, body, res, note) => {
    const { path } = splitUrl(req);
    const query = queryParams(req);
    const fail = (status: number, code: string, message: string): void =>
      sendError(res, note, ctx.errorFormat, { status, code, message });
    const caller = verifyRoaCaller(req, body, path, query, keys);
    note.accessKeyId = caller.accessKeyId;
    note.signatureMethod = headerValue(req.headers['x-acs-signature-method']);
    if (!caller.ok) return fail(caller.status, caller.code, caller.message);
    if (!headerValue(req.headers['x-acs-version'])) {
      return fail(400, 'MissingVersion', 'The input parameter "x-acs-version" is not supplied.');
    }

    const clusterId = /^\/clusters\/([^/]+)$/.exec(path)?.[1];
    if (req.method === 'GET' && path === '/clusters') {
      note.action = 'DescribeClusters';
      return sendJson(res, CLUSTERS);
    }
    if (req.method === 'GET' && clusterId !== undefined) {
      note.action = 'DescribeClusterDetail';
      const cluster = CLUSTERS.find((c) => c.cluster_id === clusterId);
      if (cluster) return sendJson(res, cluster);
      note.errorCode = 'ErrorClusterNotFound';
      const message = `cluster ${clusterId} not found`;
      return sendJson(
        res,
        { code: 'ErrorClusterNotFound', message, requestId: newRequestId(), status: 404 },
        404,
      );
    }
    fail(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  };
}
