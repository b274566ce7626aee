import type { SecretInfo } from './types.js';

/**
 * Maps the whole JSON body of a GetSecretValue answer onto {@link SecretInfo}.
 * `ExtendedConfig` arrives as a JSON string and is parsed (left out when it is
 * not a JSON object); `VersionStages` arrives as `{"VersionStage": [...]}`.
 */
export function secretInfoFromBody(secretName: string, body: Record<string, unknown>): SecretInfo {
  const text = (key: string): string | undefined => {
    const value = body[key];
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  };
  return {
    secretName: text('SecretName') ?? secretName,
    secretData: text('SecretData') ?? '',
    secretDataType: text('SecretDataType') ?? 'text',
    versionId: text('VersionId') ?? '',
    versionStages: versionStages(body['VersionStages']),
    secretType: text('SecretType'),
    extendedConfig: parseExtendedConfig(body['ExtendedConfig']),
    automaticRotation: text('AutomaticRotation'),
    rotationInterval: text('RotationInterval'),
    nextRotationDate: text('NextRotationDate'),
    createTime: text('CreateTime'),
    requestId: text('RequestId'),
  };
}

function versionStages(value: unknown): string[] {
  const list = Array.isArray(value)
    ? value
    : value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)['VersionStage']
      : undefined;
  if (Array.isArray(list)) return list.filter((stage): stage is string => typeof stage === 'string');
  return typeof list === 'string' ? [list] : [];
}

function parseExtendedConfig(value: unknown): Record<string, unknown> | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    // Not JSON: the policy then treats the secret as a plain one; nothing secret is in ExtendedConfig.
    return undefined;
  }
}
