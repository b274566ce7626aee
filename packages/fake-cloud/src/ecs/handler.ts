import { newRequestId } from '../ids.js';
import { sendJson, type ErrorFormat } from '../http/errors.js';
import { authenticatedPopHandler } from '../http/pop-handler.js';
import { RequestFreshness } from '../signature/freshness.js';
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
  return authenticatedPopHandler(keys, ctx.errorFormat, ({ params, action, res, fail }) => {
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
  });
}
