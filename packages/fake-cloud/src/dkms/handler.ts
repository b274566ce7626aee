import type { ClientKeyStore, SecretStore, ServiceHandler } from '../types.js';
import { newRequestId } from '../ids.js';
import { sendInstanceError, sendProtobuf } from './answers.js';
import {
  decodeGetSecretValueRequest,
  encodeGetSecretValueResponse,
  type GetSecretValueRequestMessage,
} from './messages.js';
import { verifyInstanceRequest } from './verify-request.js';

export interface DkmsContext {
  clientKeys: ClientKeyStore;
  secrets: SecretStore;
  /** The instance's clock (ms since epoch) for the 15-minute date check. Default `Date.now`. */
  now?: () => number;
}

/** The instance APIs the emulator serves; any other name is `InvalidApiName`. */
const API_NAMES: ReadonlySet<string> = new Set(['GetSecretValue']);

/**
 * Serves the KMS instance API (dedicated gateway): a protobuf body POSTed to
 * `/`, signed with a ClientKey. Verifies the signature, `content-sha256` and
 * the date as the real instance does and answers `GetSecretValue` in protobuf
 * (errors as the protobuf `Error` message with the documented codes).
 */
export function createDkmsHandler(ctx: DkmsContext): ServiceHandler {
  const now = ctx.now ?? Date.now;
  return (req, body, res, note) => {
    const apiName = req.headers['x-kms-apiname'];
    note.action = typeof apiName === 'string' ? apiName : undefined;
    const keyId = req.headers['x-kms-acccesskeyid'];
    note.accessKeyId = typeof keyId === 'string' ? keyId : undefined;
    if (req.method !== 'POST') {
      sendInstanceError(res, note, {
        status: 405,
        code: 'MethodNotAllowed',
        message: 'Only POST is supported.',
      });
      return;
    }
    const verified = verifyInstanceRequest(req, body, {
      clientKeys: ctx.clientKeys,
      now: now(),
      apiNames: API_NAMES,
    });
    if ('status' in verified) {
      sendInstanceError(res, note, verified);
      return;
    }
    note.signatureMethod = verified.signatureMethod;
    let request: GetSecretValueRequestMessage;
    try {
      request = decodeGetSecretValueRequest(body);
    } catch {
      sendInstanceError(res, note, {
        status: 400,
        code: 'InvalidParam',
        message: 'The request body is not a valid GetSecretValueRequest.',
      });
      return;
    }
    note.secretName = request.SecretName || undefined;
    if (!request.SecretName) {
      sendInstanceError(res, note, {
        status: 400,
        code: 'InvalidParam',
        message: 'The Param SecretName is invalid.',
      });
      return;
    }
    const version = ctx.secrets.getSecretValue(request.SecretName, {
      versionStage: request.VersionStage || undefined,
      versionId: request.VersionId || undefined,
    });
    if (!version) {
      sendInstanceError(res, note, {
        status: 404,
        code: 'Forbidden.ResourceNotFound',
        message: `The resource "${request.SecretName}" does not exist.`,
      });
      return;
    }
    const requestId = newRequestId();
    // ExtendedConfig and the rotation fields are the "extended config": sent only when asked for, as KMS does.
    const extended = request.FetchExtendedConfig
      ? {
          ExtendedConfig: version.extendedConfig,
          RotationInterval: version.rotationInterval,
          NextRotationDate: version.nextRotationDate,
          AutomaticRotation: version.rotationInterval ? 'Enabled' : 'Disabled',
        }
      : {};
    const answer = encodeGetSecretValueResponse({
      SecretName: version.secretName,
      SecretType: version.secretType,
      SecretData: version.secretData,
      SecretDataType: version.secretDataType,
      VersionStages: version.versionStages,
      VersionId: version.versionId,
      CreateTime: version.createTime,
      RequestId: requestId,
      ...extended,
    });
    sendProtobuf(res, 200, answer, requestId);
  };
}
