import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import {
  CONFIG_KEYS,
  isValidatedConfig,
  loadConfig,
  resolveConfigFilePath,
  setConfigFilePath,
} from '../src/config/index.js';
import { makeClientKey, TempDir, type TestClientKey } from './helpers/config-fixtures.js';

const REGIONS = '[{"regionId":"cn-hangzhou"}]';

let dir: TempDir;
let clientKey: TestClientKey;

beforeAll(() => {
  dir = new TempDir();
  clientKey = makeClientKey();
  dir.write('keys/clientKey_main.json', clientKey.json);
  dir.write('keys/password.txt', `${clientKey.password}\n`);
  dir.write('keys/ca.pem', clientKey.certificatePem);
  dir.write('oidc/token', 'eyJ.fake.token');
});
afterAll(() => dir.remove());
afterEach(() => setConfigFilePath(undefined));

describe('SPEC §2 configuration: credentials types', () => {
  it('reads ecs_ram_role with the default metadata endpoint and the default durations', () => {
    const file = dir.writeProperties('ecs.properties', {
      credentials_type: 'ecs_ram_role',
      credentials_role_name: 'my-role',
      cache_client_region_id: REGIONS,
    });
    const config = loadConfig({ file, env: {} });
    expect(config.auth).toEqual({
      type: 'ecs_ram_role',
      roleName: 'my-role',
      metadataEndpoint: 'http://100.100.100.200',
    });
    expect(config.regions).toEqual([{ regionId: 'cn-hangzhou', vpc: false }]);
    expect(config.dedicatedGateways).toEqual([]);
    expect(config.refreshSecretTtlMs).toBe(6 * 3600_000);
    expect(config.rotationIntervalMs).toBe(6 * 3600_000);
    expect(config.delayIntervalMs).toBe(5 * 60_000);
    expect(config.secretNames).toEqual([]);
    expect(isValidatedConfig(config)).toBe(true);
  });

  it('takes credentials_metadata_endpoint for local tests', () => {
    const config = loadConfig({
      object: {
        credentials_type: 'ecs_ram_role',
        credentials_metadata_endpoint: 'http://127.0.0.1:18100',
        cache_client_region_id: REGIONS,
      },
      env: {},
    });
    expect(config.auth).toMatchObject({ type: 'ecs_ram_role', metadataEndpoint: 'http://127.0.0.1:18100' });
    expect(config.auth && 'roleName' in config.auth ? config.auth.roleName : 'x').toBeUndefined();
  });

  it('reads client_key with the password from a file (trailing newline dropped), relative to the properties file', () => {
    const file = dir.writeProperties('client-key.properties', {
      credentials_type: 'client_key',
      client_key_private_key_path: 'keys/clientKey_main.json',
      client_key_password_from_file_path: 'keys/password.txt',
      cache_client_region_id: REGIONS,
    });
    const config = loadConfig({ file, env: {}, cwd: '/' });
    expect(config.auth?.type).toBe('client_key');
    if (config.auth?.type !== 'client_key') throw new Error('unreachable');
    expect(config.auth.clientKey.keyId).toBe(clientKey.keyId);
    expect(config.auth.clientKey.file).toBe(join(dir.path, 'keys/clientKey_main.json'));
    expect(config.auth.clientKey.privateKeyPem).toBe(clientKey.privateKeyPem);
  });

  it('reads client_key with the password from an environment variable', () => {
    const config = loadConfig({
      object: {
        credentials_type: 'client_key',
        client_key_private_key_path: join(dir.path, 'keys/clientKey_main.json'),
        client_key_password_from_env_variable: 'MY_CK_PASSWORD',
        cache_client_region_id: REGIONS,
      },
      env: { MY_CK_PASSWORD: clientKey.password },
    });
    expect(config.auth?.type === 'client_key' && config.auth.clientKey.keyId).toBe(clientKey.keyId);
  });

  it('reads ak', () => {
    const config = loadConfig({
      object: {
        credentials_type: 'ak',
        credentials_access_key_id: 'LTAI-kms',
        credentials_access_secret: 'kms-secret',
        cache_client_region_id: REGIONS,
      },
      env: {},
    });
    expect(config.auth).toEqual({ type: 'ak', accessKeyId: 'LTAI-kms' });
    // The secret is readable but hidden from spreads and printouts.
    expect(config.auth?.type === 'ak' && config.auth.accessKeySecret).toBe('kms-secret');
    expect({ ...config.auth }).not.toHaveProperty('accessKeySecret');
  });

  it.each(['sts', 'ram_role'] as const)('reads %s (AK + role ARN, optional session name)', (type) => {
    const config = loadConfig({
      object: {
        credentials_type: type,
        credentials_access_key_id: 'LTAI-kms',
        credentials_access_secret: 'kms-secret',
        credentials_role_arn: 'acs:ram::123:role/kms-reader',
        credentials_role_session_name: 'node-app',
        cache_client_region_id: REGIONS,
      },
      env: {},
    });
    expect(config.auth?.type === type && config.auth.accessKeySecret).toBe('kms-secret');
    expect(config.auth).toEqual({
      type,
      accessKeyId: 'LTAI-kms',
      roleArn: 'acs:ram::123:role/kms-reader',
      roleSessionName: 'node-app',
    });
  });

  it('reads oidc_role_arn and resolves the token path', () => {
    const file = dir.writeProperties('oidc.properties', {
      credentials_type: 'oidc_role_arn',
      credentials_role_arn: 'acs:ram::123:role/kms-reader',
      credentials_oidc_provider_arn: 'acs:ram::123:oidc-provider/ack',
      credentials_oidc_token_file_path: 'oidc/token',
      cache_client_region_id: REGIONS,
    });
    const config = loadConfig({ file, env: {} });
    expect(config.auth).toEqual({
      type: 'oidc_role_arn',
      roleArn: 'acs:ram::123:role/kms-reader',
      oidcProviderArn: 'acs:ram::123:oidc-provider/ack',
      oidcTokenFilePath: join(dir.path, 'oidc/token'),
      roleSessionName: undefined,
    });
  });
});

describe('SPEC §2 configuration: regions, durations, secret names', () => {
  it('parses several regions in order, with endpoints (scheme and port kept) and vpc as string or boolean', () => {
    const config = loadConfig({
      object: {
        credentials_type: 'ecs_ram_role',
        cache_client_region_id:
          '[{"regionId":"cn-shanghai","endpoint":"http://127.0.0.1:18080"},{"regionId":"cn-hangzhou","vpc":"true"},{"regionId":"cn-beijing","vpc":true,"endpoint":"kms.cn-beijing.aliyuncs.com:443"}]',
      },
      env: {},
    });
    expect(config.regions).toEqual([
      { regionId: 'cn-shanghai', endpoint: 'http://127.0.0.1:18080', vpc: false },
      { regionId: 'cn-hangzhou', vpc: true },
      { regionId: 'cn-beijing', endpoint: 'kms.cn-beijing.aliyuncs.com:443', vpc: true },
    ]);
  });

  it('reads durations and trims, deduplicates secret_names', () => {
    const config = loadConfig({
      object: {
        credentials_type: 'ecs_ram_role',
        cache_client_region_id: REGIONS,
        refresh_secret_ttl: '300000',
        rotation_interval: '86400000',
        delay_interval: '0',
        secret_names: ' a , b,,a ,c ',
      },
      env: {},
    });
    expect(config.refreshSecretTtlMs).toBe(300_000);
    expect(config.rotationIntervalMs).toBe(86_400_000);
    expect(config.delayIntervalMs).toBe(0);
    expect(config.secretNames).toEqual(['a', 'b', 'c']);
  });
});

describe('SPEC §2 configuration: layers (file < env < object) and origins', () => {
  it('lets an environment variable override the file key by key, and records where each key came from', () => {
    const file = dir.writeProperties('overlay.properties', {
      credentials_type: 'ecs_ram_role',
      cache_client_region_id: REGIONS,
      refresh_secret_ttl: '600000',
      secret_names: 'from-file',
      unknwon_key: 'typo',
    });
    const config = loadConfig({
      file,
      env: {
        refresh_secret_ttl: '900000',
        secret_names: '',
        credentials_role_name: 'env-role',
        PATH: '/bin',
      },
    });
    expect(config.refreshSecretTtlMs).toBe(900_000);
    // An empty variable does not hide the file's value.
    expect(config.secretNames).toEqual(['from-file']);
    expect(config.auth).toMatchObject({ roleName: 'env-role' });
    expect(config.origin).toEqual({
      file,
      keys: {
        credentials_type: 'file',
        cache_client_region_id: 'file',
        refresh_secret_ttl: 'env',
        secret_names: 'file',
        credentials_role_name: 'env',
      },
      unknownKeys: ['unknwon_key'],
    });
  });

  it('works from the environment alone when the default file is absent', () => {
    const config = loadConfig({
      cwd: join(dir.path, 'keys'),
      env: { credentials_type: 'ecs_ram_role', cache_client_region_id: REGIONS },
    });
    expect(config.origin.file).toBeUndefined();
    expect(config.origin.keys).toEqual({ credentials_type: 'env', cache_client_region_id: 'env' });
  });

  it('puts an object above the environment, which is above a file given with it', () => {
    const file = dir.writeProperties('layers.properties', {
      credentials_type: 'ecs_ram_role',
      cache_client_region_id: REGIONS,
      delay_interval: '1000',
      rotation_interval: '600000',
    });
    const config = loadConfig({
      file,
      env: { delay_interval: '2000', rotation_interval: '700000' },
      object: { delay_interval: '3000' },
    });
    expect(config.delayIntervalMs).toBe(3000);
    expect(config.rotationIntervalMs).toBe(700_000);
    expect(config.origin.keys).toMatchObject({
      delay_interval: 'object',
      rotation_interval: 'env',
      credentials_type: 'file',
    });
  });

  it('accepts numbers and ready-made arrays from plain JavaScript objects', () => {
    const object = {
      credentials_type: 'ecs_ram_role',
      cache_client_region_id: [{ regionId: 'cn-hangzhou', vpc: true }],
      refresh_secret_ttl: 600_000,
    } as unknown as Record<string, string>;
    const config = loadConfig({ object, env: {} });
    expect(config.regions).toEqual([{ regionId: 'cn-hangzhou', vpc: true }]);
    expect(config.refreshSecretTtlMs).toBe(600_000);
  });

  it('reads no file when an object is given without `file`', () => {
    dir.writeProperties('cwd-with-file/managed_credentials_providers.properties', {
      secret_names: 'from-file',
    });
    const config = loadConfig({
      cwd: join(dir.path, 'cwd-with-file'),
      env: {},
      object: { credentials_type: 'ecs_ram_role', cache_client_region_id: REGIONS },
    });
    expect(config.secretNames).toEqual([]);
    expect(config.origin.file).toBeUndefined();
  });
});

describe('SPEC §2 configuration: which file', () => {
  it('defaults to managed_credentials_providers.properties in the working directory', () => {
    const cwd = join(dir.path, 'default-cwd');
    const file = dir.writeProperties('default-cwd/managed_credentials_providers.properties', {
      credentials_type: 'ecs_ram_role',
      cache_client_region_id: REGIONS,
    });
    expect(resolveConfigFilePath({ cwd, env: {} })).toBe(file);
    expect(loadConfig({ cwd, env: {} }).origin.file).toBe(file);
  });

  it('follows MANAGED_CREDENTIALS_CONFIG_FILE, and setConfigFilePath() above it, until reset', () => {
    const viaEnv = dir.writeProperties('named/by-env.properties', {
      credentials_type: 'ecs_ram_role',
      cache_client_region_id: REGIONS,
      secret_names: 'env-file',
    });
    const viaCode = dir.writeProperties('named/by-code.properties', {
      credentials_type: 'ecs_ram_role',
      cache_client_region_id: REGIONS,
      secret_names: 'code-file',
    });
    const env = { MANAGED_CREDENTIALS_CONFIG_FILE: viaEnv };
    expect(loadConfig({ env, cwd: '/' }).secretNames).toEqual(['env-file']);
    setConfigFilePath(viaCode);
    expect(resolveConfigFilePath({ env, cwd: '/' })).toBe(viaCode);
    expect(loadConfig({ env, cwd: '/' }).secretNames).toEqual(['code-file']);
    setConfigFilePath(undefined);
    expect(resolveConfigFilePath({ env, cwd: '/' })).toBe(viaEnv);
  });

  it('fails with MC_CONFIG_NOT_FOUND naming the file when nothing is configured', () => {
    const cwd = join(dir.path, 'empty-cwd');
    const expected = join(cwd, 'managed_credentials_providers.properties');
    const error = captureError(() => loadConfig({ cwd, env: { PATH: '/bin' } }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'MC_CONFIG_NOT_FOUND', file: expected });
    expect(error.message).toContain(expected);
  });
});

describe('SPEC §2 configuration: dedicated gateways (cache_client_dkms_config_info)', () => {
  const base = (extra: Record<string, unknown>): Record<string, unknown> => ({
    regionId: 'cn-hangzhou',
    endpoint: 'kst-hzz123.cryptoservice.kms.aliyuncs.com',
    clientKeyFile: 'keys/clientKey_main.json',
    ...extra,
  });

  it('loads every entry with each password source, without credentials_type', () => {
    const entries = [
      base({ passwordFromEnvVariable: 'DKMS_PW', caFilePath: 'keys/ca.pem' }),
      base({
        passwordFromFilePath: 'keys/password.txt',
        ignoreSslCerts: true,
        endpoint: 'https://127.0.0.1:18443',
      }),
      base({ passwordFromFilePathName: 'DKMS_PW_FILE', caCert: 'keys/ca.pem', ignoreSslCerts: 'false' }),
      base({ passwordFromEnvVariable: 'DKMS_PW', caCert: clientKey.certificatePem }),
    ];
    const file = dir.writeProperties('dkms.properties', {
      cache_client_dkms_config_info: JSON.stringify(entries),
    });
    const config = loadConfig({
      file,
      env: { DKMS_PW: clientKey.password, DKMS_PW_FILE: join(dir.path, 'keys/password.txt') },
    });
    expect(config.auth).toBeUndefined();
    expect(config.regions).toEqual([]);
    const gateways = config.dedicatedGateways;
    expect(gateways).toHaveLength(4);
    expect(gateways.map((g) => g.clientKey.keyId)).toEqual(Array(4).fill(clientKey.keyId));
    expect(gateways.map((g) => g.ignoreSslCerts)).toEqual([false, true, false, false]);
    expect(gateways[1]?.endpoint).toBe('https://127.0.0.1:18443');
    expect(gateways[0]?.caPem).toBe(clientKey.certificatePem);
    expect(gateways[0]?.caFile).toBe(join(dir.path, 'keys/ca.pem'));
    expect(gateways[1]?.caPem).toBeUndefined();
    expect(gateways[2]?.caPem).toBe(clientKey.certificatePem);
    expect(gateways[3]?.caPem).toBe(clientKey.certificatePem.trim());
    expect(gateways[3]?.caFile).toBeUndefined();
    expect(gateways[0]?.clientKey.privateKeyPem).toBe(clientKey.privateKeyPem);
  });
});

function captureError(fn: () => unknown): Error & { code?: string; key?: string; file?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('the example properties file at the repository root', () => {
  const example = readFileSync(
    new URL('../../../managed_credentials_providers.properties.example', import.meta.url),
    'utf8',
  );

  it('documents every key, commented out', () => {
    for (const key of CONFIG_KEYS) expect(example).toMatch(new RegExp(`^#${key}=`, 'm'));
  });

  it('gives a valid configuration once its ecs_ram_role, region and timing lines are uncommented', () => {
    const keep = [
      'credentials_type',
      'cache_client_region_id',
      'refresh_secret_ttl',
      'rotation_interval',
      'delay_interval',
      'secret_names',
    ];
    const text = example.replace(new RegExp(`^#(${keep.join('|')})=`, 'gm'), '$1=');
    const file = dir.write('example/managed_credentials_providers.properties', text);
    const config = loadConfig({ file, env: {} });
    expect(config.auth?.type).toBe('ecs_ram_role');
    expect(config.regions).toEqual([
      { regionId: 'cn-hangzhou', vpc: false },
      { regionId: 'cn-shanghai', vpc: true },
    ]);
    expect(config.refreshSecretTtlMs).toBe(21_600_000);
    expect(config.secretNames).toEqual(['my-ram-secret', 'another-ram-secret']);
  });
});
