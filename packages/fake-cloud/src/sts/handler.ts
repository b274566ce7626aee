import { newRequestId, randomDigits } from '../ids.js';
import { sendError, sendJson, type ErrorFormat } from '../http/errors.js';
import { headerValue, rpcParams } from '../http/params.js';
import { RequestFreshness } from '../signature/freshness.js';
import { verifyCaller } from '../signature/verify-caller.js';
import type { AccessKeyRegistry } from '../state/access-keys.js';
import { isoSeconds } from '../state/secrets.js';
import type { ServiceHandler } from '../types.js';

export const STS_API_VERSION = '2015-04-01';
const ROLE_ARN = /^acs:ram::(\d+):role\/(.+)$/i;
const OIDC_PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/.+$/i;
const MIN_DURATION_S = 900;
const MAX_DURATION_S = 43_200;

export interface StsContext {
  keys: AccessKeyRegistry;
  /** OIDC tokens AssumeRoleWithOIDC accepts. */
  oidcTokens: ReadonlySet<string>;
  errorFormat: ErrorFormat;
}

interface Failure {
  status: number;
  code: string;
  message: string;
}

/**
 * STS (2015-04-01): `AssumeRole`, signed (RPC HMAC-SHA1 or ACS3) by a KMS
 * caller key, and the unsigned `AssumeRoleWithOIDC`. Both hand out an STS key
 * that may call KMS, with the requested lifetime.
 */
export function createStsHandler(ctx: StsContext): ServiceHandler {
  const callers = { accessKeys: ctx.keys.view('kms-caller'), freshness: new RequestFreshness() };
  return (req, body, res, note) => {
    const params = rpcParams(req, body);
    const fail = (failure: Failure): void => sendError(res, note, ctx.errorFormat, failure);
    const action = params['Action'] ?? headerValue(req.headers['x-acs-action']);
    note.action = action;
    if (action === 'AssumeRole') {
      const caller = verifyCaller(req, body, params, callers);
      note.accessKeyId = caller.accessKeyId;
      note.signatureMethod = caller.signatureMethod;
      if (!caller.ok) return fail(caller);
    } else if (action === 'AssumeRoleWithOIDC') {
      const problem = checkOidc(params, ctx.oidcTokens);
      if (problem) return fail(problem);
    } else {
      return fail({
        status: 404,
        code: 'InvalidAction.NotFound',
        message: `Specified api is not found: ${action}.`,
      });
    }
    const version = params['Version'] ?? headerValue(req.headers['x-acs-version']);
    if (version !== STS_API_VERSION) {
      return fail({
        status: 400,
        code: 'InvalidVersion',
        message: `Specified parameter Version is not valid.`,
      });
    }
    const problem = checkRole(params);
    if (problem) return fail(problem);

    const durationS = Number(params['DurationSeconds'] ?? 3600);
    const now = Date.now();
    const key = ctx.keys.create('kms-caller', { sts: { expiresAt: now + durationS * 1000 } });
    const [, accountId, roleName] = ROLE_ARN.exec(params['RoleArn']!)!;
    const session = params['RoleSessionName']!;
    sendJson(res, {
      RequestId: newRequestId(),
      AssumedRoleUser: {
        AssumedRoleId: `3${randomDigits(17)}:${session}`,
        Arn: `acs:ram::${accountId}:role/${roleName!.toLowerCase()}/${session}`,
      },
      Credentials: {
        AccessKeyId: key.accessKeyId,
        AccessKeySecret: key.accessKeySecret,
        SecurityToken: key.securityToken,
        Expiration: isoSeconds(new Date(key.expiresAt!)),
      },
      ...(action === 'AssumeRoleWithOIDC'
        ? {
            OIDCTokenInfo: {
              Subject: 'system:serviceaccount:default:fake-cloud',
              Issuer: 'https://oidc.fake-cloud.local',
              ClientIds: 'sts.aliyuncs.com',
            },
          }
        : {}),
    });
  };
}

function checkOidc(params: Record<string, string>, tokens: ReadonlySet<string>): Failure | undefined {
  const provider = params['OIDCProviderArn'];
  if (!provider) return missing('OIDCProviderArn');
  if (!OIDC_PROVIDER_ARN.test(provider)) {
    return {
      status: 400,
      code: 'InvalidParameter.OIDCProviderArn',
      message: 'The parameter OIDCProviderArn is invalid.',
    };
  }
  const token = params['OIDCToken'];
  if (!token) return missing('OIDCToken');
  if (!tokens.has(token)) {
    return {
      status: 400,
      code: 'AuthenticationFail.OIDCToken.Invalid',
      message: 'The OIDCToken is invalid.',
    };
  }
  return undefined;
}

function checkRole(params: Record<string, string>): Failure | undefined {
  const roleArn = params['RoleArn'];
  if (!roleArn) return missing('RoleArn');
  if (!ROLE_ARN.test(roleArn)) {
    return {
      status: 400,
      code: 'InvalidParameter.RoleArn',
      message: 'The parameter RoleArn is wrongly formed.',
    };
  }
  const session = params['RoleSessionName'];
  if (!session) return missing('RoleSessionName');
  if (!/^[\w.@-]{2,64}$/.test(session)) {
    return {
      status: 400,
      code: 'InvalidParameter.RoleSessionName',
      message: 'The parameter RoleSessionName is wrongly formed.',
    };
  }
  const duration = Number(params['DurationSeconds'] ?? 3600);
  if (!Number.isInteger(duration) || duration < MIN_DURATION_S || duration > MAX_DURATION_S) {
    return {
      status: 400,
      code: 'InvalidParameter.DurationSeconds',
      message: `The DurationSeconds must be between ${MIN_DURATION_S} and ${MAX_DURATION_S}.`,
    };
  }
  return undefined;
}

function missing(name: string): Failure {
  return { status: 400, code: `Missing${name}`, message: `${name} is mandatory for this action.` };
}
