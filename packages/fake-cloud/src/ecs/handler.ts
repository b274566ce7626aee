import { newRequestId } from '../ids.js';
import { sendError, sendJson, type ErrorFormat } from '../http/errors.js';
import { headerValue, rpcParams } from '../http/params.js';
import { RequestFreshness } from '../signature/freshness.js';
import { verifyCaller } from '../signature/verify-caller.js';
import type { StoredAccessKeyStore } from '../state/access-keys.js';
import type { ServiceHandler } from '../types.js';
import { describeInstancesBody } from './describe-instances.js';

export interface EcsContext {
  /** RAM user keys (the ones held in RAM secrets). */
  accessKeys: StoredAccessKeyStore;
  errorFormat: ErrorFormat;
}

/** Largest PageSize DescribeInstances accepts, as on the real ECS API. */
export const MAX_PAGE_SIZE = 100;

/**
 * ECS OpenAPI (stands for any tea-openapi product): authenticates every call
 * (ACS3-HMAC-SHA256 or RPC HMAC-SHA1), answers `DescribeInstances` with a
 * realistic body and any other action with `{RequestId}`. `DescribeInstances`
 * with `PageSize` > 100 yields HTTP 400 `InvalidParameter` — a non-key error
 * for adapter tests.
 */
export function createEcsHandler(ctx: EcsContext): ServiceHandler {
  const keys = { accessKeys: ctx.accessKeys, freshness: new RequestFreshness() };
  return (req, body, res, note) => {
    const params = rpcParams(req, body);
    const fail = (status: number, code: string, message: string): void =>
      sendError(res, note, ctx.errorFormat, { status, code, message });
    const caller = verifyCaller(req, body, params, keys);
    note.accessKeyId = caller.accessKeyId;
    note.signatureMethod = caller.signatureMethod;
    if (!caller.ok) return fail(caller.status, caller.code, caller.message);

    const action = params['Action'] ?? headerValue(req.headers['x-acs-action']);
    note.action = action;
    if (!action)
      return fail(
        400,
        'MissingParameter',
        'The input parameter "Action" that is mandatory for processing this request is not supplied.',
      );
    if (action === 'DescribeInstances') {
      const pageSize = params['PageSize'];
      if (pageSize !== undefined && !(Number(pageSize) >= 1 && Number(pageSize) <= MAX_PAGE_SIZE)) {
        return fail(400, 'InvalidParameter', `The specified parameter "PageSize" is not valid: ${pageSize}.`);
      }
      return sendJson(res, describeInstancesBody(params));
    }
    sendJson(res, { RequestId: newRequestId() });
  };
}
