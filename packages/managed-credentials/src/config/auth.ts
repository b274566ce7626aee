import { statSync } from 'node:fs';
import { loadClientKey } from './client-key.js';
import { DEFAULT_METADATA_ENDPOINT } from './keys.js';
import { redactFields } from './redact.js';
import { readPassword, type PasswordSource } from './password.js';
import { CONFIG_ERROR_CODES, type RawConfigReader } from './raw-config.js';
import { CREDENTIALS_TYPES, type CredentialsType, type KmsAuthConfig } from './types.js';
import { endpointProblem } from './values.js';
import { quoteConfigValue } from './quote-value.js';

/**
 * Builds the shared-gateway authentication from `credentials_type` and the
 * keys that type needs. Returns undefined when `credentials_type` is absent
 * (allowed only with dedicated gateways; the caller checks).
 */
export function readAuth(config: RawConfigReader): KmsAuthConfig | undefined {
  const type = config.get('credentials_type');
  if (type === undefined) return undefined;
  if (!(CREDENTIALS_TYPES as readonly string[]).includes(type)) {
    throw config.error(
      'credentials_type',
      `${quoteConfigValue(type)} is not supported; use one of ${CREDENTIALS_TYPES.join(', ')}.`,
    );
  }
  const credentialsType = type as CredentialsType;
  if (credentialsType !== 'ecs_ram_role' && config.has('credentials_metadata_endpoint')) {
    throw config.error(
      'credentials_metadata_endpoint',
      `applies only to credentials_type=ecs_ram_role, not ${type}.`,
    );
  }
  const why = `for credentials_type=${type}`;
  switch (credentialsType) {
    case 'ecs_ram_role':
      return readEcsRamRole(config);
    case 'client_key':
      return readClientKeyAuth(config);
    case 'ak':
      return redactFields<KmsAuthConfig>(
        {
          type: 'ak',
          accessKeyId: config.require('credentials_access_key_id', why),
          accessKeySecret: config.require('credentials_access_secret', why),
        },
        ['accessKeySecret'],
        'KmsAuthConfig',
      );
    case 'sts':
    case 'ram_role':
      return redactFields<KmsAuthConfig>(
        {
          type: credentialsType,
          accessKeyId: config.require('credentials_access_key_id', why),
          accessKeySecret: config.require('credentials_access_secret', why),
          roleArn: config.require('credentials_role_arn', why),
          roleSessionName: config.get('credentials_role_session_name'),
        },
        ['accessKeySecret'],
        'KmsAuthConfig',
      );
    case 'oidc_role_arn':
      return readOidcRoleArn(config, why);
  }
}

function readEcsRamRole(config: RawConfigReader): KmsAuthConfig {
  const metadataEndpoint = config.get('credentials_metadata_endpoint');
  if (metadataEndpoint !== undefined) {
    const problem = endpointProblem(metadataEndpoint);
    if (problem !== undefined)
      throw config.error(
        'credentials_metadata_endpoint',
        `${problem}: ${quoteConfigValue(metadataEndpoint)}.`,
      );
  }
  return {
    type: 'ecs_ram_role',
    roleName: config.get('credentials_role_name'),
    metadataEndpoint: metadataEndpoint ?? DEFAULT_METADATA_ENDPOINT,
  };
}

function readOidcRoleArn(config: RawConfigReader, why: string): KmsAuthConfig {
  const roleArn = config.require('credentials_role_arn', why);
  const oidcProviderArn = config.require('credentials_oidc_provider_arn', why);
  const tokenFile = config.resolvePath(
    'credentials_oidc_token_file_path',
    config.require('credentials_oidc_token_file_path', why),
  );
  if (!isFile(tokenFile)) {
    throw config.error(
      'credentials_oidc_token_file_path',
      `the OIDC token file ${tokenFile} does not exist.`,
    );
  }
  return {
    type: 'oidc_role_arn',
    roleArn,
    oidcProviderArn,
    oidcTokenFilePath: tokenFile,
    roleSessionName: config.get('credentials_role_session_name'),
  };
}

function readClientKeyAuth(config: RawConfigReader): KmsAuthConfig {
  const why = 'for credentials_type=client_key';
  const keyFile = config.resolvePath(
    'client_key_private_key_path',
    config.require('client_key_private_key_path', why),
  );
  const fromEnv = config.get('client_key_password_from_env_variable');
  const fromFile = config.get('client_key_password_from_file_path');
  if (fromEnv !== undefined && fromFile !== undefined) {
    throw config.error(
      'client_key_password_from_env_variable',
      'and client_key_password_from_file_path are both set; set exactly one ClientKey password source.',
    );
  }
  let source: PasswordSource;
  let passwordKey: 'client_key_password_from_env_variable' | 'client_key_password_from_file_path';
  if (fromEnv !== undefined) {
    source = { kind: 'env', variable: fromEnv };
    passwordKey = 'client_key_password_from_env_variable';
  } else if (fromFile !== undefined) {
    source = { kind: 'file', path: config.resolvePath('client_key_password_from_file_path', fromFile) };
    passwordKey = 'client_key_password_from_file_path';
  } else {
    throw config.error(
      'client_key_password_from_env_variable',
      `or client_key_password_from_file_path is required ${why}: set exactly one ClientKey password source.`,
      CONFIG_ERROR_CODES.missing,
    );
  }
  const password = readPassword(
    source,
    config.env,
    `Configuration key ${passwordKey} (${config.where(passwordKey)})`,
    passwordKey,
  );
  return {
    type: 'client_key',
    clientKey: loadClientKey(keyFile, password, { key: 'client_key_private_key_path' }),
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
