import protobuf from 'protobufjs';

// The KMS instance API ("dkms-gcs-0.2") speaks protobuf. The messages are
// declared here with protobufjs's reflection API — no .proto file is loaded at
// run time, so the built package works from `dist` as is. Field names and
// numbers follow the `api.proto` of the official instance SDKs.

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

// One namespace, as in api.proto (`package api`), so every type is resolved.
new protobuf.Root().define('api').add(getSecretValueRequest).add(getSecretValueResponse).add(errorAnswer);

/** `GetSecretValueRequest` of the KMS instance API. */
export interface GetSecretValueRequestMessage {
  SecretName: string;
  VersionStage?: string;
  VersionId?: string;
  FetchExtendedConfig?: boolean;
}

/** `Error` body of a 4xx/5xx answer. */
export interface InstanceErrorMessage {
  StatusCode: number;
  ErrorCode: string;
  ErrorMessage: string;
  RequestId: string;
}

export function encodeGetSecretValueRequest(message: GetSecretValueRequestMessage): Buffer {
  const bytes = getSecretValueRequest.encode(getSecretValueRequest.fromObject({ ...message })).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes a `GetSecretValueResponse` into a plain object keyed by the wire
 * names. Fields proto3 leaves at their default (empty string, no stages) are
 * left out, so "absent" stays absent for the refresh policy.
 * @throws when the bytes are not such a message.
 */
export function decodeGetSecretValueResponse(body: Uint8Array): Record<string, unknown> {
  return withoutDefaults(
    getSecretValueResponse.toObject(getSecretValueResponse.decode(body), { defaults: true, arrays: true }),
  );
}

/** Decodes the `Error` body; undefined when it is not one (a proxy's HTML or JSON page, an empty body). */
export function decodeInstanceError(body: Uint8Array): Partial<InstanceErrorMessage> | undefined {
  if (body.length === 0) return undefined;
  try {
    const decoded = withoutDefaults(
      errorAnswer.toObject(errorAnswer.decode(body)),
    ) as Partial<InstanceErrorMessage>;
    // Bytes that happen to parse but carry no ErrorCode are not an instance API error.
    return decoded.ErrorCode ? decoded : undefined;
  } catch {
    return undefined;
  }
}

function withoutDefaults(message: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(message).filter(
      ([, value]) => value !== '' && value !== 0 && !(Array.isArray(value) && value.length === 0),
    ),
  );
}
