import protobuf from 'protobufjs';

// The protobuf messages of the KMS instance API ("dkms-gcs-0.2"), declared with
// protobufjs's reflection API (no .proto file at run time). Field names and
// numbers follow the `api.proto` of the official instance SDKs. The emulator
// keeps its own copy on purpose: it must not share code with the client it
// checks.

const { Field, Type } = protobuf;

const getSecretValueRequest = new Type('GetSecretValueRequest')
  .add(new Field('SecretName', 1, 'string'))
  .add(new Field('VersionStage', 2, 'string'))
  .add(new Field('VersionId', 3, 'string'))
  .add(new Field('FetchExtendedConfig', 4, 'bool'));

const getSecretValueResponse = new Type('GetSecretValueResponse')
  .add(new Field('SecretName', 1, 'string'))
  .add(new Field('SecretType', 2, 'string'))
  .add(new Field('SecretData', 3, 'string'))
  .add(new Field('SecretDataType', 4, 'string'))
  .add(new Field('VersionStages', 5, 'string', 'repeated'))
  .add(new Field('VersionId', 6, 'string'))
  .add(new Field('CreateTime', 7, 'string'))
  .add(new Field('RequestId', 8, 'string'))
  .add(new Field('LastRotationDate', 9, 'string'))
  .add(new Field('NextRotationDate', 10, 'string'))
  .add(new Field('ExtendedConfig', 11, 'string'))
  .add(new Field('AutomaticRotation', 12, 'string'))
  .add(new Field('RotationInterval', 13, 'string'));

const errorAnswer = new Type('Error')
  .add(new Field('StatusCode', 1, 'int32'))
  .add(new Field('ErrorCode', 2, 'string'))
  .add(new Field('ErrorMessage', 3, 'string'))
  .add(new Field('RequestId', 4, 'string'));

new protobuf.Root().define('api').add(getSecretValueRequest).add(getSecretValueResponse).add(errorAnswer);

export interface GetSecretValueRequestMessage {
  SecretName: string;
  VersionStage: string;
  VersionId: string;
  FetchExtendedConfig: boolean;
}

export interface GetSecretValueResponseMessage {
  SecretName: string;
  SecretType: string;
  SecretData: string;
  SecretDataType: string;
  VersionStages: string[];
  VersionId: string;
  CreateTime: string;
  RequestId: string;
  LastRotationDate?: string;
  NextRotationDate?: string;
  ExtendedConfig?: string;
  AutomaticRotation?: string;
  RotationInterval?: string;
}

export interface InstanceErrorMessage {
  StatusCode: number;
  ErrorCode: string;
  ErrorMessage: string;
  RequestId: string;
}

/** Decodes a request body; every field present (proto3 defaults). @throws on bytes that are not one. */
export function decodeGetSecretValueRequest(body: Uint8Array): GetSecretValueRequestMessage {
  const message = getSecretValueRequest.decode(body);
  return getSecretValueRequest.toObject(message, { defaults: true }) as GetSecretValueRequestMessage;
}

export function encodeGetSecretValueRequest(message: Partial<GetSecretValueRequestMessage>): Buffer {
  return toBuffer(getSecretValueRequest.encode(getSecretValueRequest.fromObject({ ...message })).finish());
}

export function encodeGetSecretValueResponse(message: GetSecretValueResponseMessage): Buffer {
  return toBuffer(getSecretValueResponse.encode(getSecretValueResponse.fromObject({ ...message })).finish());
}

/** For tests that read answers by hand. */
export function decodeGetSecretValueResponse(body: Uint8Array): GetSecretValueResponseMessage {
  const message = getSecretValueResponse.decode(body);
  return getSecretValueResponse.toObject(message, { arrays: true }) as GetSecretValueResponseMessage;
}

export function encodeInstanceError(message: InstanceErrorMessage): Buffer {
  return toBuffer(errorAnswer.encode(errorAnswer.fromObject({ ...message })).finish());
}

export function decodeInstanceError(body: Uint8Array): InstanceErrorMessage {
  return errorAnswer.toObject(errorAnswer.decode(body), { defaults: true }) as InstanceErrorMessage;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
