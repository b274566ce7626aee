import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientKeyError, ConfigError } from '../src/errors.js';
import { loadClientKey, loadConfig } from '../src/config/index.js';
import { makeClientKey, TempDir, type TestClientKey } from './helpers/config-fixtures.js';

// Known secret material: none of it may show up in any message or printout.
const AK_SECRET = 'AKSECRET-9f8e7d6c5b4a3210';
const PASSWORD = 'KNOWNPASSWORD-31415926';
const WRONG_PASSWORD = 'WRONGPASSWORD-27182818';
const REGIONS = '[{"regionId":"cn-hangzhou"}]';

let dir: TempDir;
let key: TestClientKey;
let paths: Record<string, string>;

beforeAll(() => {
  dir = new TempDir();
  key = makeClientKey({ password: PASSWORD });
  paths = {
    good: dir.write('ck/good.json', key.json),
    notJson: dir.write('ck/not-json.json', `{"KeyId": "KAAP.1", "PrivateKeyData": "${key.privateKeyData}"`),
    noKeyId: dir.write('ck/no-key-id.json', JSON.stringify({ PrivateKeyData: key.privateKeyData })),
    noData: dir.write('ck/no-data.json', JSON.stringify({ KeyId: 'KAAP.no-data' })),
    notBase64: dir.write(
      'ck/not-base64.json',
      JSON.stringify({ KeyId: 'KAAP.x', PrivateKeyData: 'not base64 !!' }),
    ),
    notPkcs12: dir.write(
      'ck/not-pkcs12.json',
      JSON.stringify({
        KeyId: 'KAAP.x',
        PrivateKeyData: Buffer.from('hello world, no ASN.1 here').toString('base64'),
      }),
    ),
    password: dir.write('pw/password.txt', `${PASSWORD}\n`),
    wrongPassword: dir.write('pw/wrong.txt', WRONG_PASSWORD),
    emptyPassword: dir.write('pw/empty.txt', '\n'),
    ca: dir.write('ca/ca.pem', key.certificatePem),
    notCa: dir.write('ca/not-a-cert.pem', 'hello'),
  };
});
afterAll(() => dir.remove());

const dkms = (entry: Record<string, unknown>, more: Record<string, unknown>[] = []): string =>
  JSON.stringify([
    ...more,
    {
      regionId: 'cn-hangzhou',
      endpoint: 'kst-1.cryptoservice.kms.aliyuncs.com',
      clientKeyFile: 'ck/good.json',
      passwordFromFilePath: 'pw/password.txt',
      ...entry,
    },
  ]);

const clientKeyConfig = (extra: Record<string, string>): Record<string, string> => ({
  credentials_type: 'client_key',
  client_key_private_key_path: 'ck/good.json',
  client_key_password_from_file_path: 'pw/password.txt',
  cache_client_region_id: REGIONS,
  ...extra,
});

interface BadCase {
  name: string;
  /** Written to a properties file (paths relative to the temp dir); undefined entries are dropped. */
  props: Record<string, string | undefined>;
  env?: Record<string, string>;
  errorClass: typeof ConfigError;
  code: string;
  key: string;
  /** Extra texts the message must contain, besides the key; `$FILE` is the properties file. */
  mentions: string[];
}

const CASES: BadCase[] = [
  {
    name: 'unknown credentials_type',
    props: { credentials_type: 'magic', cache_client_region_id: REGIONS },
    errorClass: ConfigError,
    code: 'MC_CONFIG_INVALID',
    key: 'credentials_type',
    mentions: ['"m…" (5 characters)', '$FILE'],
  },
  {
    name: 'no credentials_type and no dedicated gateway',
    props: { cache_client_region_id: REGIONS },
    errorClass: ConfigError,
    code: 'MC_CONFIG_MISSING',
    key: 'credentials_type',
    mentions: ['$FILE'],
  },
  {
    name: 'ak without credentials_access_secret',
    props: { credentials_type: 'ak', credentials_access_key_id: 'LTAI-x', cache_client_region_id: REGIONS },
    errorClass: ConfigError,
    code: 'MC_CONFIG_MISSING',
    key: 'credentials_access_secret',
    mentions: ['credentials_type=ak'],
  },
  {
    name: 'sts without credentials_role_arn',
    props: {
      credentials_type: 'sts',
      credentials_access_key_id: 'LTAI-x',
      credentials_access_secret: AK_SECRET,
      cache_client_region_id: REGIONS,
    },
    errorClass: ConfigError,
    code: 'MC_CONFIG_MISSING',
    key: 'credentials_role_arn',
    mentions: ['credentials_type=sts'],
  },
  {
    name: 'oidc_role_arn without credentials_oidc_provider_arn',
    props: {
      credentials_type: 'oidc_role_arn',
      credentials_role_arn: 'acs:ram::1:role/r',
      credentials_oidc_token_file_path: 'pw/password.txt',
      cache_client_region_id: REGIONS,
    },
    errorClass: ConfigError,
    code: 'MC_CONFIG_MISSING',
    key: 'credentials_oidc_provider_arn',
    mentions: [],
  },
  {
    name: 'oidc token file missing',
    props: {
      credentials_type: 'oidc_role_arn',
      credentials_role_arn: 'acs:ram::1:role/r',
      credentials_oidc_provider_arn: 'acs:ram::1:oidc-provider/p',
      credentials_oidc_token_file_path: 'oidc/missing-token',
      cache_client_region_id: REGIONS,
    },
    errorClass: ConfigError,
    code: 'MC_CONFIG_INVALID',
    key: 'credentials_oidc_token_file_path',
    mentions: ['oidc/missing-token'],
  },
  {
    name: 'credentials_metadata_endpoint with another credentials_type',
    props: {
      credentials_type: 'ak',
      credentials_access_key_id: 'LTAI-x',
      credentials_access_secret: AK_SECRET,
      credentials_metadata_endpoint: 'http://127.0.0.1:1',
      cache_client_region_id: REGIONS,
    },
    errorClass: ConfigError,
    code: 'MC_CONFIG_INVALID',
    key: 'credentials_metadata_endpoint',
    mentions: ['ecs_ram_role'],
  },
  {
    name: 'credentials_metadata_endpoint not a URL',
    props: {
      credentials_type: 'ecs_ram_role',
      credentials_metadata_endpoint: 'ftp://meta',
      cache_client_region_id: REGIONS,
    },
    errorClass: ConfigError,
    code: 'MC_CONFIG_INVALID',
    key: 'credentials_metadata_endpoint',
    mentions: ['must use http:// or https://', '"ftp…" (10 characters)'],
  },
  {
    name: 'client_key without client_key_private_key_path',
    props: clientKeyConfig({ client_key_private_key_path: '' }),
    errorClass: ConfigError,
    code: 'MC_CONFIG_MISSING',
    key: 'client_key_private_key_path',
    mentions: ['$FILE'],
  },
  {
    name: 'both ClientKey password sources',
    props: clientKeyConfig({ client_key_password_from_env_variable: 'CK_PW' }),
    env: { CK_PW: PASSWORD },
    errorClass: ConfigError,
    code: 'MC_CONFIG_INVALID',
    key: 'client_key_password_from_env_variable',
    mentions: ['client_key_password_from_file_path', 'exactly one'],
  },
  {
    name: 'no ClientKey password source',
    props: clientKeyConfig({ client_key_password_from_file_path: '' }),
    errorClass: ConfigError,
    code: 'MC_CONFIG_MISSING',
    key: 'client_key_password_from_env_variable',
    mentions: ['client_key_password_from_file_path'],
  },
  {
    name: 'password env var unset',
    props: clientKeyConfig({
      client_key_password_from_file_path: '',
      client_key_password_from_env_variable: 'CK_PW',
    }),
    env: {},
    errorClass: ClientKeyError,
    code: 'MC_CLIENT_KEY_INVALID',
    key: 'client_key_password_from_env_variable',
    mentions: ['CK_PW', 'not set'],
  },
  {
    name: 'password env var empty',
    props: clientKeyConfig({
      client_key_password_from_file_path: '',
      client_key_password_from_env_variable: 'CK_PW',
    }),
    env: { CK_PW: '' },
    errorClass: ClientKeyError,
    code: 'MC_CLIENT_KEY_INVALID',
    key: 'client_key_password_from_env_variable',
    mentions: ['CK_PW', 'empty'],
  },
  {
    name: 'password file missing',
    props: clientKeyConfig({ client_key_password_from_file_path: 'pw/missing.txt' }),
    errorClass: ClientKeyError,
    code: 'MC_CLIENT_KEY_INVALID',
    key: 'client_key_password_from_file_path',
    mentions: ['pw/missing.txt', 'does not exist'],
  },
  {
    name: 'password file empty',
    props: clientKeyConfig({ client_key_password_from_file_path: 'pw/empty.txt' }),
    errorClass: ClientKeyError,
    code: 'MC_CLIENT_KEY_INVALID',
    key: 'client_key_password_from_file_path',
    mentions: ['pw/empty.txt', 'empty'],
  },
  {
    name: 'ClientKey file missing',
    props: clientKeyConfig({ client_key_private_key_path: 'ck/missing.json' }),
    errorClass: ClientKeyError,
    code: 'MC_CLIENT_KEY_INVALID',
    key: 'client_key_private_key_path',
    mentions: ['ck/missing.json', 'does not exist'],
  },
  ...(
    [
      ['ClientKey file not JSON', 'ck/not-json.json', 'not valid JSON'],
      ['ClientKey without KeyId', 'ck/no-key-id.json', 'KeyId'],
      ['ClientKey without PrivateKeyData', 'ck/no-data.json', 'PrivateKeyData'],
      ['PrivateKeyData not base64', 'ck/not-base64.json', 'not base64'],
      ['PrivateKeyData not a PKCS#12', 'ck/not-pkcs12.json', 'PKCS#12'],
    ] as const
  ).map(([name, file, problem]): BadCase => ({
    name,
    props: clientKeyConfig({ client_key_private_key_path: file }),
    errorClass: ClientKeyError,
    code: 'MC_CLIENT_KEY_INVALID',
    key: 'client_key_private_key_path',
    mentions: [file, problem],
  })),
  {
    name: 'wrong ClientKey password',
    props: clientKeyConfig({ client_key_password_from_file_path: 'pw/wrong.txt' }),
    errorClass: ClientKeyError,
    code: 'MC_CLIENT_KEY_INVALID',
    key: 'client_key_private_key_path',
    mentions: ['ck/good.json', 'password'],
  },
  ...(
    [
      ['region list not JSON', '[{regionId: cn-hangzhou}', 'not valid JSON'],
      ['region list not an array', '{"regionId":"cn-hangzhou"}', 'JSON array'],
      ['region list empty', '[]', 'empty array'],
      ['region entry not an object', '["cn-hangzhou"]', 'entry #0'],
      [
        'region entry without regionId',
        '[{"regionId":"cn-hangzhou"},{"endpoint":"kms.x.com"}]',
        'entry #1 has no "regionId"',
      ],
      [
        'region endpoint with a bad scheme',
        '[{"regionId":"cn-hangzhou","endpoint":"ftp://127.0.0.1:1"}]',
        'must use http:// or https://',
      ],
      ['region endpoint not a URL', '[{"regionId":"cn-hangzhou","endpoint":"http://"}]', 'entry #0'],
      ['region vpc neither true nor false', '[{"regionId":"cn-hangzhou","vpc":"maybe"}]', '"vpc"'],
    ] as const
  ).map(([name, value, problem]): BadCase => ({
    name,
    props: { credentials_type: 'ecs_ram_role', cache_client_region_id: value },
    errorClass: ConfigError,
    code: 'MC_CONFIG_INVALID',
    key: 'cache_client_region_id',
    mentions: [problem, '$FILE'],
  })),
  {
    name: 'neither regions nor dedicated gateways',
    props: { credentials_type: 'ecs_ram_role' },
    errorClass: ConfigError,
    code: 'MC_CONFIG_MISSING',
    key: 'cache_client_region_id',
    mentions: ['cache_client_dkms_config_info'],
  },
  ...(
    [
      ['dkms list not JSON', 'nope', 'not valid JSON', 'MC_CONFIG_INVALID'],
      [
        'dkms entry without endpoint',
        dkms({ endpoint: undefined }),
        'entry #0 has no "endpoint"',
        'MC_CONFIG_MISSING',
      ],
      [
        'dkms entry without clientKeyFile',
        dkms({ clientKeyFile: '' }),
        'entry #0 has no "clientKeyFile"',
        'MC_CONFIG_MISSING',
      ],
      ['dkms entry without regionId', dkms({ regionId: undefined }), 'regionId', 'MC_CONFIG_MISSING'],
      [
        'dkms entry without password source',
        dkms({ passwordFromFilePath: undefined }),
        'password source',
        'MC_CONFIG_MISSING',
      ],
      [
        'dkms entry with two password sources',
        dkms({ passwordFromEnvVariable: 'DKMS_PW' }),
        'passwordFromEnvVariable and passwordFromFilePath',
        'MC_CONFIG_INVALID',
      ],
      [
        'dkms passwordFromFilePathName naming an unset variable',
        dkms({ passwordFromFilePath: undefined, passwordFromFilePathName: 'DKMS_PW_FILE' }),
        'DKMS_PW_FILE',
        'MC_CONFIG_INVALID',
      ],
      [
        'dkms ignoreSslCerts not boolean',
        dkms({ ignoreSslCerts: 'yes' }),
        'ignoreSslCerts',
        'MC_CONFIG_INVALID',
      ],
      [
        'dkms caFilePath and caCert both set',
        dkms({ caFilePath: 'ca/ca.pem', caCert: 'ca/ca.pem' }),
        'both',
        'MC_CONFIG_INVALID',
      ],
      [
        'dkms unreadable CA file',
        dkms({ caFilePath: 'ca/missing.pem' }),
        'ca/missing.pem',
        'MC_CONFIG_INVALID',
      ],
      [
        'dkms CA file without a certificate',
        dkms({ caCert: 'ca/not-a-cert.pem' }),
        'ca/not-a-cert.pem',
        'MC_CONFIG_INVALID',
      ],
      [
        'dkms second entry bad',
        dkms({ endpoint: 'https://' }, [
          {
            regionId: 'a',
            endpoint: 'x.y',
            clientKeyFile: 'ck/good.json',
            passwordFromFilePath: 'pw/password.txt',
          },
        ]),
        'entry #1',
        'MC_CONFIG_INVALID',
      ],
    ] as const
  ).map(([name, value, problem, code]): BadCase => ({
    name,
    props: { cache_client_dkms_config_info: value },
    errorClass: ConfigError,
    code,
    key: 'cache_client_dkms_config_info',
    mentions: [problem],
  })),
  {
    name: 'dkms entry with the wrong password (ClientKey error names the entry)',
    props: { cache_client_dkms_config_info: dkms({ passwordFromFilePath: 'pw/wrong.txt' }) },
    errorClass: ClientKeyError,
    code: 'MC_CLIENT_KEY_INVALID',
    key: 'cache_client_dkms_config_info',
    mentions: ['entry #0', 'ck/good.json'],
  },
  ...(
    [
      ['refresh_secret_ttl not a number', 'refresh_secret_ttl', '6h', 'whole number'],
      ['refresh_secret_ttl below 5 min', 'refresh_secret_ttl', '299999', 'at least 300000'],
      ['rotation_interval below 5 min', 'rotation_interval', '1000', 'at least 300000'],
      ['delay_interval negative', 'delay_interval', '-5', 'whole number'],
      ['delay_interval fractional', 'delay_interval', '1.5', 'whole number'],
    ] as const
  ).map(([name, key, value, problem]): BadCase => ({
    name,
    props: { credentials_type: 'ecs_ram_role', cache_client_region_id: REGIONS, [key]: value },
    errorClass: ConfigError,
    code: 'MC_CONFIG_INVALID',
    key,
    mentions: [problem, value, '$FILE'],
  })),
];

/** Every error any case produced, for the leak check below. */
const seenErrors: Error[] = [];

describe('SPEC §2 validation: every bad input is a typed error naming the culprit', () => {
  it('has at least 22 distinct cases', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(22);
  });

  it.each(CASES)('$name', (testCase) => {
    const props = Object.fromEntries(
      Object.entries(testCase.props).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const file = dir.writeProperties(`case-${CASES.indexOf(testCase)}.properties`, props);
    const error = captureError(() => loadConfig({ file, env: testCase.env ?? {} }));
    seenErrors.push(error);
    expect(error).toBeInstanceOf(testCase.errorClass);
    expect(error.constructor).toBe(testCase.errorClass);
    expect(error).toMatchObject({ code: testCase.code, key: testCase.key });
    expect(error.message).toContain(testCase.key);
    for (const text of testCase.mentions) expect(error.message).toContain(text === '$FILE' ? file : text);
  });

  it('names an explicitly chosen file that does not exist', () => {
    const missing = join(dir.path, 'nope', 'missing.properties');
    for (const options of [
      { file: missing, env: {} },
      { env: { MANAGED_CREDENTIALS_CONFIG_FILE: missing } },
    ]) {
      const error = captureError(() => loadConfig(options));
      seenErrors.push(error);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: 'MC_CONFIG_NOT_FOUND', file: missing });
      expect(error.message).toContain(missing);
    }
  });

  it('names the environment variable when the bad value came from the environment', () => {
    const error = captureError(() =>
      loadConfig({ object: {}, env: { credentials_type: 'ecs_ram_role', cache_client_region_id: '[]' } }),
    );
    seenErrors.push(error);
    expect(error).toMatchObject({ code: 'MC_CONFIG_INVALID', key: 'cache_client_region_id' });
    expect(error.message).toContain('environment variable cache_client_region_id');
  });
});

describe('values quoted by configuration errors (issue 11)', () => {
  const pasted = 'Zq7Xw2LmN9pQ4rT8vY1uKs6Hj3Gf5Dd0';

  it.each([
    ['credentials_type', { credentials_type: pasted, cache_client_region_id: REGIONS }],
    [
      'refresh_secret_ttl',
      { credentials_type: 'ecs_ram_role', cache_client_region_id: REGIONS, refresh_secret_ttl: pasted },
    ],
    [
      'cache_client_region_id',
      {
        credentials_type: 'ecs_ram_role',
        cache_client_region_id: JSON.stringify([{ regionId: `x ${pasted}` }]),
      },
    ],
    [
      'credentials_metadata_endpoint',
      {
        credentials_type: 'ecs_ram_role',
        cache_client_region_id: REGIONS,
        credentials_metadata_endpoint: `http://user:${pasted}@127.0.0.1`,
      },
    ],
  ] as const)('a secret pasted into %s is neither in the message nor in the stack', (key, props) => {
    const error = captureError(() => loadConfig({ object: props, env: {} }));
    expect(error).toMatchObject({ key });
    for (const text of [error.message, error.stack ?? '', inspect(error)]) {
      expect(text).not.toContain(pasted);
      // Not even a long slice of it.
      for (let i = 0; i + 8 <= pasted.length; i += 4) expect(text).not.toContain(pasted.slice(i, i + 8));
    }
  });

  it('a password pasted where its environment variable should be named is not echoed', () => {
    const error = captureError(() =>
      loadConfig({
        object: {
          credentials_type: 'client_key',
          client_key_private_key_path: '/nonexistent/clientKey.json',
          client_key_password_from_env_variable: pasted,
          cache_client_region_id: REGIONS,
        },
        env: {},
      }),
    );
    expect(error).toMatchObject({ key: 'client_key_password_from_env_variable' });
    expect(`${error.message}\n${error.stack ?? ''}`).not.toContain(pasted.slice(4, 12));
  });

  it('shows a short token masked and a number as is', () => {
    const typo = captureError(() =>
      loadConfig({ object: { credentials_type: 'ecs_ram_rol', cache_client_region_id: REGIONS }, env: {} }),
    );
    expect(typo.message).toContain('"ecs…" (11 characters) is not supported');
    const small = captureError(() =>
      loadConfig({
        object: {
          credentials_type: 'ecs_ram_role',
          cache_client_region_id: REGIONS,
          kms_request_timeout_ms: '5',
        },
        env: {},
      }),
    );
    expect(small).toMatchObject({ key: 'kms_request_timeout_ms', code: 'MC_CONFIG_INVALID' });
    expect(small.message).toContain('at least 100 ms');
  });
});

describe('SPEC §2/§7 no secret material in messages or printouts', () => {
  it('never shows the AccessKeySecret, a password or private key material', () => {
    // Successful loads holding every kind of secret, printed every way.
    const akConfig = loadConfig({
      object: {
        credentials_type: 'sts',
        credentials_access_key_id: 'LTAI-x',
        credentials_access_secret: AK_SECRET,
        credentials_role_arn: 'acs:ram::1:role/r',
        cache_client_region_id: REGIONS,
      },
      env: {},
    });
    const ckConfig = loadConfig({
      file: dir.writeProperties('leak-ck.properties', clientKeyConfig({})),
      env: {},
    });
    const dkmsConfig = loadConfig({
      file: dir.writeProperties('leak-dkms.properties', {
        cache_client_dkms_config_info: dkms({
          passwordFromFilePath: undefined,
          passwordFromEnvVariable: 'DKMS_PW',
        }),
      }),
      env: { DKMS_PW: PASSWORD },
    });
    const clientKey = loadClientKey(paths.good as string, PASSWORD, { key: 'test' });
    expect(clientKey.privateKeyPem).toContain('PRIVATE KEY');
    expect(akConfig.auth?.type === 'sts' && akConfig.auth.accessKeySecret).toBe(AK_SECRET);

    const printouts: string[] = [];
    for (const value of [akConfig, ckConfig, dkmsConfig, clientKey, akConfig.auth, ckConfig.auth]) {
      printouts.push(
        inspect(value, { depth: 10 }),
        JSON.stringify(value),
        String(value),
        `${JSON.stringify({ ...value })}`,
      );
    }
    printouts.push(inspect({ ...clientKey }), Object.keys(clientKey).join(','));
    for (const error of seenErrors) {
      printouts.push(
        error.message,
        String(error),
        inspect(error, { depth: 10 }),
        JSON.stringify(error),
        error.stack ?? '',
      );
    }
    expect(seenErrors.length).toBeGreaterThanOrEqual(CASES.length);

    const forbidden = [
      AK_SECRET,
      PASSWORD,
      WRONG_PASSWORD,
      ...chunks(key.privateKeyData),
      ...chunks(pemBody(key.privateKeyPem)),
    ];
    const text = printouts.join('\n');
    for (const secret of forbidden) expect(text).not.toContain(secret);
    expect(text).toContain('<redacted>');
  });
});

function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

/** Every 16-character slice at 16-character steps: catches a partial leak too. */
function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 16 <= text.length; i += 16) out.push(text.slice(i, i + 16));
  return out;
}

function captureError(fn: () => unknown): Error & { code?: string; key?: string; file?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
