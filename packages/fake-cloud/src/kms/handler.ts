import { newRequestId } from '../ids.js';
import { sendJson, type ErrorFormat } from '../http/errors.js';
import { headerValue } from '../http/params.js';
import { authenticatedPopHandler } from '../http/pop-handler.js';
import { RequestFreshness } from '../signature/freshness.js';
import type { CallerKeys } from '../signature/verify-caller.js';
import type { SecretStore, SecretVersionView, ServiceHandler } from '../types.js';

export const KMS_API_VERSION = '2016-01-20';

export interface KmsContext extends CallerKeys {
  secrets: SecretStore;
  errorFormat: ErrorFormat;
}

/**
 * KMS OpenAPI (2016-01-20), RPC style: `GetSecretValue` only. Parameters may
 * come in the query or a form body; the caller authenticates with an
 * AccessKey (HMAC-SHA1 RPC or ACS3-HMAC-SHA256, with SecurityToken for STS) or
 * a ClientKey (RSA).
 */
export function createKmsHandler(ctx: KmsContext): ServiceHandler {
  const keys = { ...ctx, freshness: ctx.freshness ?? new RequestFreshness() };
  return authenticatedPopHandler(keys, ctx.errorFormat, ({ req, params, action, res, note, fail }) => {
    const version = params['Version'] ?? headerValue(req.headers['x-acs-version']);
    if (version !== KMS_API_VERSION) {
      return fail(400, 'InvalidVersion', `Specified parameter Version is not valid: ${String(version)}.`);
    }
    if (action !== 'GetSecretValue') {
      return fail(
        404,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    }
    const secretName = params['SecretName'];
    note.secretName = secretName;
    if (!secretName)
      return fail(
        400,
        'MissingParameter',
        'The input parameter "SecretName" that is mandatory for processing this request is not supplied.',
      );
    const version_ = ctx.secrets.getSecretValue(secretName, {
      ...(params['VersionStage'] ? { versionStage: params['VersionStage'] } : {}),
      ...(params['VersionId'] ? { versionId: params['VersionId'] } : {}),
    });
    if (!version_) return fail(404, 'Forbidden.ResourceNotFound', 'The resource not exists.');
    sendJson(res, getSecretValueBody(version_, params['FetchExtendedConfig'] === 'true'));
  });
}

/**
 * The GetSecretValue answer. As on the real service, the rotation fields and
 * `ExtendedConfig` come only with `FetchExtendedConfig=true`, and never for
 * `Generic` secrets.
 */
export function getSecretValueBody(
  view: SecretVersionView,
  fetchExtendedConfig: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    RequestId: newRequestId(),
    SecretName: view.secretName,
    SecretType: view.secretType,
    SecretData: view.secretData,
    SecretDataType: view.secretDataType,
    VersionId: view.versionId,
    CreateTime: view.createTime,
    VersionStages: { VersionStage: [...view.versionStages] },
  };
  if (fetchExtendedConfig && view.secretType !== 'Generic') {
    body['AutomaticRotation'] = view.rotationInterval ? 'Enabled' : 'Disabled';
    if (view.extendedConfig !== undefined) body['ExtendedConfig'] = view.extendedConfig;
    if (view.rotationInterval !== undefined) body['RotationInterval'] = view.rotationInterval;
    if (view.nextRotationDate !== undefined) body['NextRotationDate'] = view.nextRotationDate;
    if (view.lastRotationDate !== undefined) body['LastRotationDate'] = view.lastRotationDate;
  }
  return body;
}
