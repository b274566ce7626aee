/**
 * Broken configurations that hold real secrets (a KMS caller secret, a
 * ClientKey and its password): each must fail at construction with the
 * stated code, and the error must not repeat what it was given.
 */
import type { RawConfig } from 'managed-credentials';
import type { FakeCloud } from 'managed-credentials-fake-cloud';
import { REGION } from './e2e.js';

export interface BadConfig {
  label: string;
  config: RawConfig;
  /** The `code` of the ConfigError it must raise. */
  code: 'MC_CONFIG_MISSING' | 'MC_CONFIG_INVALID' | 'MC_CLIENT_KEY_INVALID';
}

export interface BadConfigInputs {
  cloud: FakeCloud;
  kmsCaller: { accessKeyId: string; accessKeySecret: string };
  /** A valid ClientKey JSON file, its password in `passwordVariable`. */
  keyFile: string;
  /** A ClientKey JSON file whose PKCS#12 is cut short. */
  garbledKeyFile: string;
  /** A file holding a password that does not open `keyFile`. */
  wrongPasswordFile: string;
  passwordVariable: string;
  /** A path where nothing exists. */
  missingFile: string;
}

export function badConfigs(inputs: BadConfigInputs): BadConfig[] {
  const { cloud, kmsCaller, keyFile, garbledKeyFile, wrongPasswordFile, passwordVariable } = inputs;
  const ak = cloud.pluginConfig({ kmsKey: kmsCaller });
  const clientKey = (fields: RawConfig): RawConfig => ({
    credentials_type: 'client_key',
    cache_client_region_id: ak['cache_client_region_id'],
    ...fields,
  });
  const instance = (fields: Record<string, string>): RawConfig => ({
    cache_client_dkms_config_info: JSON.stringify([
      { regionId: REGION, endpoint: cloud.dkms.endpoint, clientKeyFile: keyFile, ...fields },
    ]),
  });
  return [
    {
      label: 'ak without key id',
      config: { ...ak, credentials_access_key_id: undefined },
      code: 'MC_CONFIG_MISSING',
    },
    { label: 'unknown type', config: { ...ak, credentials_type: 'access_key' }, code: 'MC_CONFIG_INVALID' },
    {
      label: 'broken region JSON',
      config: { ...ak, cache_client_region_id: '[{"regionId":' },
      code: 'MC_CONFIG_INVALID',
    },
    { label: 'ttl below minimum', config: { ...ak, refresh_secret_ttl: '1000' }, code: 'MC_CONFIG_INVALID' },
    {
      label: 'wrong ClientKey password',
      config: clientKey({
        client_key_private_key_path: keyFile,
        client_key_password_from_file_path: wrongPasswordFile,
      }),
      code: 'MC_CLIENT_KEY_INVALID',
    },
    {
      label: 'both password sources',
      config: clientKey({
        client_key_private_key_path: keyFile,
        client_key_password_from_file_path: wrongPasswordFile,
        client_key_password_from_env_variable: passwordVariable,
      }),
      code: 'MC_CONFIG_INVALID',
    },
    {
      label: 'garbled PKCS#12',
      config: clientKey({
        client_key_private_key_path: garbledKeyFile,
        client_key_password_from_env_variable: passwordVariable,
      }),
      code: 'MC_CLIENT_KEY_INVALID',
    },
    {
      label: 'KMS instance, wrong password',
      config: instance({ passwordFromFilePath: wrongPasswordFile, caCert: cloud.caPem }),
      code: 'MC_CLIENT_KEY_INVALID',
    },
    {
      label: 'KMS instance, missing CA file',
      config: instance({ passwordFromEnvVariable: passwordVariable, caFilePath: inputs.missingFile }),
      code: 'MC_CONFIG_INVALID',
    },
  ];
}
