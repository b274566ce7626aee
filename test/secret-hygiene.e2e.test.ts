/**
 * SPEC §7: no event, error (message, stack, inspect, JSON, cause chain) or
 * printout of a client, provider, config or key snapshot ever contains an
 * AccessKeySecret, a KMS caller secret, a ClientKey password or private key
 * material — checked across a scenario full of failures: bad configurations
 * of several kinds, a KMS outage (refresh-failed, degraded, stale-served), a
 * wrong ClientKey password, revoked keys, rate-limited refreshes, malformed
 * secret values, unknown ClientKeys and ordinary OSS/ECS errors, the pop-core
 * (V1 SDK) RPC and ROA clients — and the values of secrets of every type
 * (issue 16): generic JSON, text and binary secrets and RDS passwords, read,
 * rotated, watched and refused as AccessKeys.
 */
import { randomBytes } from 'node:crypto';
import {
  ConfigError,
  loadConfig,
  ManagedCredentialsProvider,
  SecretFetchError,
  refreshFailureOf,
  SecretFormatError,
  type ProviderEventName,
  type ProviderOptions,
  type RawConfig,
} from 'managed-credentials';
import {
  generateClientKey,
  startFakeCloud,
  type ClientKeyMaterial,
  type FakeCloud,
} from 'managed-credentials-fake-cloud';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { ProxyROAClient, ProxyRPCClient } from 'managed-credentials-pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRequest, EnvPatch, kmsFetches, managedEcs, REGION, TempDir } from './support/e2e.js';
import { badConfigs } from './support/bad-configs.js';
import { Exposure, jsonParseErrorMessage } from './support/exposure.js';
import { FrozenClock } from './support/frozen-clock.js';

const EVENTS: ProviderEventName[] = [
  'refreshed',
  'refresh-failed',
  'rate-limited',
  'stale-served',
  'degraded',
  'call-retried',
  'closed',
];
const PASSWORD_VARIABLE = `MC_E2E_HYGIENE_PASSWORD_${randomBytes(4).toString('hex').toUpperCase()}`;

const exposure = new Exposure();
const dir = new TempDir();
const env = new EnvPatch();
const events = new Map<ProviderEventName, number>();
const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};
let cloud: FakeCloud;
let kmsCaller: { accessKeyId: string; accessKeySecret: string };
let clientKey: ClientKeyMaterial;
const closers: (() => Promise<void>)[] = [];

/** A random value planted in a malformed secret: it must not be echoed by the parse error. */
const planted = (label: string): string => {
  const value = `Planted${randomBytes(12).toString('hex')}`;
  exposure.secret(label, value);
  return value;
};

function clientKeyOf(label: string, material: ClientKeyMaterial): ClientKeyMaterial {
  exposure.secret(`${label} password`, material.password);
  exposure.keyMaterial(`${label} private key PEM`, material.privateKeyPem);
  exposure.keyMaterial(`${label} PKCS#12`, material.privateKeyData);
  return material;
}

/** A provider whose every event payload is recorded; closed (and recorded) after the file. */
function watchedProvider(label: string, options: ProviderOptions): ManagedCredentialsProvider {
  const provider = new ManagedCredentialsProvider(options);
  for (const event of EVENTS) {
    provider.on(event, (payload: unknown) => {
      events.set(event, (events.get(event) ?? 0) + 1);
      exposure.value(`${label} event ${event}`, payload);
      const error = (payload as { error?: unknown }).error;
      if (error !== undefined) exposure.error(`${label} event ${event}.error`, error);
    });
  }
  closers.push(async () => {
    exposure.value(`${label} provider`, provider);
    await provider.close();
  });
  return provider;
}

function newRamSecret(name: string, options?: Parameters<FakeCloud['createRamSecret']>[1]): void {
  const created = cloud.createRamSecret(name, options);
  if (created.accessKey) exposure.secret(`AccessKeySecret of ${name}`, created.accessKey.accessKeySecret);
}

function rotate(name: string): void {
  exposure.secret(
    `rotated AccessKeySecret of ${name}`,
    cloud.rotate(name, { revokeOld: 'now' }).accessKey.accessKeySecret,
  );
}

beforeAll(async () => {
  process.on('warning', onWarning);
  cloud = await startFakeCloud();
  kmsCaller = cloud.createKmsAccessKey();
  exposure.secret('KMS caller secret', kmsCaller.accessKeySecret);
  clientKey = clientKeyOf('ClientKey', cloud.createClientKey());
  env.set(PASSWORD_VARIABLE, clientKey.password);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await cloud?.close();
  process.off('warning', onWarning);
  env.restore();
  dir.remove();
});

describe('secret hygiene under failures', () => {
  it('configuration errors name the key, never the secret or password', () => {
    const wrongPassword = `wrong-${randomBytes(10).toString('hex')}`;
    exposure.secret('wrong ClientKey password', wrongPassword);
    const keyFile = dir.write(`clientKey_${clientKey.keyId}.json`, clientKey.json);
    const wrongPasswordFile = dir.write('wrong-password.txt', wrongPassword);
    const garbledKeyFile = dir.write(
      'clientKey_garbled.json',
      JSON.stringify({ KeyId: clientKey.keyId, PrivateKeyData: clientKey.privateKeyData.slice(0, 400) }),
    );
    const cases = badConfigs({
      cloud,
      kmsCaller,
      keyFile,
      garbledKeyFile,
      wrongPasswordFile,
      passwordVariable: PASSWORD_VARIABLE,
      missingFile: `${dir.path}/no-such-ca.pem`,
    });
    const codes = cases.map(({ label, config }) => {
      const error = exposure.thrown(`config: ${label}`, () => new ManagedCredentialsProvider({ config }));
      expect(error, label).toBeInstanceOf(ConfigError);
      return (error as ConfigError).code;
    });
    expect(codes).toEqual(cases.map(({ code }) => code));

    // A properties file holding the KMS caller secret, broken elsewhere.
    const file = dir.write(
      'broken.properties',
      `credentials_type=ak\ncredentials_access_key_id=${kmsCaller.accessKeyId}\ncredentials_access_secret=${kmsCaller.accessKeySecret}\ncache_client_region_id=not json\n`,
    );
    expect(exposure.thrown('config file', () => loadConfig({ file }))).toMatchObject({
      code: 'MC_CONFIG_INVALID',
      key: 'cache_client_region_id',
      file,
    });
    // Key options are refused by ProxyOSSClient without echoing them.
    const ossKeyOption = exposure.thrown(
      'ProxyOSSClient key option',
      () =>
        new ProxyOSSClient(cloud.oss.endpoint, 'any', {
          accessKeySecret: kmsCaller.accessKeySecret,
        } as never),
    );
    expect(ossKeyOption).toBeInstanceOf(ConfigError);
    // Loaded configurations holding secrets print redacted.
    exposure.value('loaded ak config', loadConfig({ object: cloud.pluginConfig({ kmsKey: kmsCaller }) }));
    exposure.value(
      'loaded client_key config',
      loadConfig({
        object: {
          credentials_type: 'client_key',
          client_key_private_key_path: keyFile,
          client_key_password_from_env_variable: PASSWORD_VARIABLE,
          cache_client_region_id: JSON.stringify([{ regionId: REGION, endpoint: cloud.kms.endpoint }]),
        },
      }),
    );
    expect(exposure.leaks()).toEqual([]);
  });

  it('ECS and OSS calls through rotation, revocation, rate limiting and ordinary errors', async () => {
    newRamSecret('hygiene-secret');
    const provider = watchedProvider('ak', {
      config: cloud.pluginConfig({ kmsKey: kmsCaller }),
      tokenBucket: { capacity: 2 },
    });
    const ecs = managedEcs(cloud, 'hygiene-secret', provider);
    const oss = new ProxyOSSClient(cloud.oss.endpoint, 'hygiene-secret', {
      provider,
      bucket: 'hygiene-bucket',
    });
    closers.push(async () => {
      exposure.value('ECS client', ecs);
      exposure.value('OSS client', oss);
      await Promise.all([ecs.close(), oss.close()]);
    });
    await oss.putBucket('hygiene-bucket');
    expect((await ecs.describeInstances(describeRequest())).statusCode).toBe(200);
    exposure.value('ECS client (ready)', ecs);
    exposure.value('OSS client (ready)', oss);
    exposure.value('OSS client options', (oss as unknown as { options: unknown }).options);
    const snapshot = provider.currentAccessKey('hygiene-secret');
    exposure.value('snapshot', snapshot);
    exposure.value('snapshot spread', { ...snapshot });

    // Ordinary (non-key) errors pass through: recorded as the user would log them.
    const invalid = await exposure.rejection(
      'ECS InvalidParameter',
      ecs.describeInstances(describeRequest(101)),
    );
    expect(invalid).toMatchObject({ code: 'InvalidParameter' });
    const missing = await exposure.rejection('OSS NoSuchKey', oss.get('no-such-object.txt'));
    expect(missing).toMatchObject({ code: 'NoSuchKey', status: 404 });

    // Rotation + revocation: retried, both succeed.
    rotate('hygiene-secret');
    await Promise.all([
      ecs.describeInstances(describeRequest()),
      oss.put('after-rotation.txt', Buffer.from('ok')),
    ]);

    // The current key revoked WITHOUT a new one: KMS answers the same key, the SDK error is rethrown.
    // The bucket's 2 tokens went to the rotation and to the first of these: the next two are rate-limited.
    cloud.revokeAccessKey(provider.currentAccessKey('hygiene-secret').accessKeyId);
    const revokedEcs = await exposure.rejection('ECS revoked key', ecs.describeInstances(describeRequest()));
    expect(revokedEcs).toMatchObject({ code: 'InvalidAccessKeyId.NotFound' });
    const revokedOss = await exposure.rejection('OSS revoked key', oss.list({ 'max-keys': 1 }, {}));
    expect(revokedOss).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 });
    const limited = await exposure.rejection(
      'ECS revoked key, rate-limited',
      ecs.describeInstances(describeRequest()),
    );
    expect(limited).toMatchObject({ code: 'InvalidAccessKeyId.NotFound' });
    expect(events.get('rate-limited')).toBe(2);
    // First fetch, the rotation, the first revoked call; the rate-limited ones fetched nothing.
    expect(kmsFetches(cloud, 'hygiene-secret')).toBe(3);
    expect(events.get('call-retried')).toBe(2);
    expect(exposure.leaks()).toEqual([]);
  });

  it('malformed secret values, a revoked KMS caller and an unknown ClientKey fail without echoing secrets', async () => {
    newRamSecret('not-json', {
      secretData: `{"AccessKeyId":"LTAIbad","AccessKeySecret":"${planted('planted in invalid JSON')}" oops}`,
    });
    newRamSecret('no-key-id', {
      secretData: JSON.stringify({ AccessKeySecret: planted('planted without key id') }),
    });
    // Unquoted: V8's JSON.parse message quotes ~10 characters around the bad token; they must not surface.
    const unquoted = `z${randomBytes(12).toString('hex')}`;
    exposure.secret('start of an unquoted planted secret', unquoted.slice(0, 10));
    const unquotedData = `{"AccessKeyId":"LTAIbad","AccessKeySecret":${unquoted}}`;
    newRamSecret('unquoted', { secretData: unquotedData });
    // Had V8's own parse error been passed on (as message or cause), the scan would catch it.
    expect(exposure.detects(jsonParseErrorMessage(unquotedData))).toBe(true);
    const caller = cloud.createKmsAccessKey();
    exposure.secret('second KMS caller secret', caller.accessKeySecret);
    const provider = watchedProvider('formats', {
      config: cloud.pluginConfig({ kmsKey: caller }),
      retry: { attempts: 1 },
    });
    for (const name of ['not-json', 'no-key-id', 'unquoted']) {
      expect(await exposure.rejection(`secret ${name}`, provider.getAccessKey(name))).toBeInstanceOf(
        SecretFormatError,
      );
    }
    cloud.revokeAccessKey(caller.accessKeyId);
    newRamSecret('after-caller-revoked');
    const revokedCaller = await exposure.rejection(
      'revoked KMS caller',
      provider.getAccessKey('after-caller-revoked'),
    );
    expect(revokedCaller).toMatchObject({ kmsCode: 'InvalidAccessKeyId.NotFound', retryable: false });

    // A ClientKey the KMS instance does not know (404 Unauthorized), with certificate checks off.
    const unknown = clientKeyOf('unregistered ClientKey', generateClientKey());
    const unknownKeyFile = dir.write('clientKey_unknown.json', unknown.json);
    const dkms = watchedProvider('dkms', {
      config: {
        cache_client_dkms_config_info: JSON.stringify([
          {
            regionId: REGION,
            endpoint: cloud.dkms.endpoint,
            clientKeyFile: unknownKeyFile,
            passwordFromFilePath: dir.write('unknown-password.txt', unknown.password),
            ignoreSslCerts: true,
          },
        ]),
      },
      retry: { attempts: 1 },
    });
    const unauthorized = await exposure.rejection('unknown ClientKey', dkms.getAccessKey('hygiene-secret'));
    expect(unauthorized).toMatchObject({ kmsCode: 'Unauthorized', httpStatus: 404 });
    expect(warnings.map((warning) => (warning as { code?: string }).code)).toContain(
      'MC_TLS_VERIFICATION_DISABLED',
    );
    for (const [index, warning] of warnings.entries()) exposure.error(`process warning ${index}`, warning);
    expect(exposure.leaks()).toEqual([]);
  });

  it('ECS RAM role: the STS key from instance metadata never shows, in success or failure', async () => {
    newRamSecret('role-secret');
    const roleConfig = (roleName: string): RawConfig => ({
      credentials_type: 'ecs_ram_role',
      credentials_role_name: roleName,
      credentials_metadata_endpoint: cloud.metadata.endpoint,
      cache_client_region_id: cloud.pluginConfig({ kmsKey: kmsCaller })['cache_client_region_id'],
    });
    const role = watchedProvider('role', { config: roleConfig('fake-cloud-role') });
    expect((await role.getAccessKey('role-secret')).generation).toBe(1);
    const sts = cloud.metadata.currentCredentials();
    exposure.secret('STS AccessKeySecret from metadata', sts?.accessKeySecret);
    exposure.secret('STS security token from metadata', sts?.securityToken);
    exposure.value('loaded ecs_ram_role config', loadConfig({ object: roleConfig('fake-cloud-role') }));
    // The STS key is a KMS caller only: revoked, KMS refuses it.
    cloud.revokeAccessKey(sts?.accessKeyId ?? '');
    const refused = await exposure.rejection('revoked STS key', role.refreshSecret('role-secret'));
    expect(refused).toMatchObject({ kmsCode: 'InvalidAccessKeyId.NotFound' });

    const noRole = watchedProvider('no role', {
      config: roleConfig('role-not-attached'),
      retry: { attempts: 1 },
    });
    const noRoleError = await exposure.rejection('role not attached', noRole.getAccessKey('role-secret'));
    expect(noRoleError).toMatchObject({ code: 'MC_SECRET_FETCH_FAILED', secretName: 'role-secret' });
    expect(String((noRoleError as Error).cause)).toContain('role-not-attached');
    expect(exposure.leaks()).toEqual([]);
  });

  it('a KMS outage: refresh-failed, degraded and stale-served, the last key still served', async () => {
    newRamSecret('outage-secret');
    const clock = new FrozenClock();
    const provider = watchedProvider('outage', {
      config: cloud.pluginConfig({ kmsKey: kmsCaller }),
      clock,
      scheduler: clock,
      degradedAfterMs: 60_000,
      retry: { attempts: 1 },
    });
    const first = await provider.getAccessKey('outage-secret');
    const degradedBefore = events.get('degraded') ?? 0;
    cloud.faults.kms.setOutage(true);
    try {
      const failed = await exposure.rejection('outage refresh', provider.refreshSecret('outage-secret'));
      expect(failed).toBeInstanceOf(SecretFetchError);
      expect(failed).toMatchObject({ retryable: true });
      // A rejected call whose refresh failed: the KMS failure behind its error is scanned too.
      const rejected = Object.assign(new Error('revoked'), { code: 'InvalidAccessKeyId.NotFound' });
      // Past the secret's backoff after the failure above (this clock fires no timers).
      clock.advance(10_000);
      const rethrown = await provider
        .callWithAccessKey('outage-secret', () => Promise.reject(rejected))
        .catch((e: unknown) => e);
      expect(rethrown).toBe(rejected);
      expect(refreshFailureOf(rethrown)).toBeInstanceOf(SecretFetchError);
      exposure.error('outage refreshFailureOf', refreshFailureOf(rethrown));
      clock.advance(61_000);
      await exposure.rejection('outage refresh after a minute', provider.refreshSecret('outage-secret'));
      clock.advance(3 * 86_400_000); // past the refresh due date: the read reports the stale key
      expect((await provider.getAccessKey('outage-secret')).generation).toBe(first.generation);
    } finally {
      cloud.faults.kms.setOutage(false);
    }
    expect(events.get('refresh-failed')).toBeGreaterThanOrEqual(2);
    expect(events.get('degraded')).toBe(degradedBefore + 1);
    expect(events.get('stale-served')).toBe(1);
    expect(exposure.leaks()).toEqual([]);
  });

  it('secrets of every type: values never show in info objects, events, errors or warnings', async () => {
    const jsonPassword = planted('generic JSON password');
    const textValue = planted('generic text value');
    const binaryValue = planted('binary value');
    exposure.secret('binary value as base64', Buffer.from(binaryValue).toString('base64'));
    cloud.createSecret('hygiene-json', { AccountName: 'app', AccountPassword: jsonPassword });
    cloud.createSecret('hygiene-text', textValue);
    cloud.createSecret('hygiene-binary', Buffer.from(binaryValue));
    const rds = cloud.createRdsSecret('hygiene-rds');
    const rdsPassword = (JSON.parse(rds.secretData) as { AccountPassword: string }).AccountPassword;
    exposure.secret('RDS password', rdsPassword);
    const provider = watchedProvider('generic', { config: cloud.pluginConfig({ kmsKey: kmsCaller }) });
    const changes: unknown[] = [];
    const stop = provider.onSecretChange('hygiene-rds', (info) => changes.push(info));
    for (const name of ['hygiene-json', 'hygiene-text', 'hygiene-binary', 'hygiene-rds']) {
      const info = await provider.getSecretInfo(name);
      exposure.value(`info of ${name}`, info);
      exposure.value(`info of ${name} spread`, { ...info });
      exposure.value(`info of ${name} in an object`, { info, list: [info] });
      // A generic secret is no AccessKey: the refusal names the secret, never its value.
      const refused = await exposure.rejection(`AccessKey of ${name}`, provider.getAccessKey(name));
      expect(refused).toBeInstanceOf(SecretFormatError);
      expect(refused).toMatchObject({ secretName: name });
    }
    // The values are readable where they are meant to be.
    expect(await provider.getSecretValue('hygiene-text')).toBe(textValue);
    expect((await provider.getSecretInfo('hygiene-binary')).secretBytes.toString()).toBe(binaryValue);
    expect(JSON.parse(await provider.getSecretValue('hygiene-json'))).toMatchObject({
      AccountPassword: jsonPassword,
    });
    // Rotation: the new password is seen by the change listener, and shows nowhere either.
    const rotated = cloud.rotateSecret('hygiene-rds');
    exposure.secret(
      'rotated RDS password',
      (JSON.parse(rotated.secretData) as { AccountPassword: string }).AccountPassword,
    );
    const fresh = await provider.refreshSecretInfo('hygiene-rds');
    expect(changes).toEqual([fresh]);
    exposure.value('changed RDS info', fresh);
    // A listener that throws with its own message: the warning carries that message only.
    provider.onSecretChange('hygiene-text', () => {
      throw new Error('pool re-creation failed');
    });
    cloud.rotateSecret('hygiene-text', { value: planted('rotated text value') });
    await provider.refreshSecretInfo('hygiene-text');
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    for (const [index, warning] of warnings.entries()) exposure.error(`warning ${index}`, warning);
    expect(warnings.map((warning) => (warning as { code?: string }).code)).toContain('MC_LISTENER_FAILED');
    expect(exposure.leaks()).toEqual([]);
  });

  it('pop-core RPC and ROA clients through rotation, revocation and ordinary errors', async () => {
    newRamSecret('hygiene-pop-core');
    const provider = watchedProvider('pop-core', { config: cloud.pluginConfig({ kmsKey: kmsCaller }) });
    const ecs = new ProxyRPCClient(
      { endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26' },
      'hygiene-pop-core',
      { provider },
    );
    const cs = new ProxyROAClient(
      { endpoint: cloud.cs.endpoint, apiVersion: '2015-12-15' },
      'hygiene-pop-core',
      { provider },
    );
    closers.push(async () => {
      exposure.value('pop-core RPC client', ecs);
      exposure.value('pop-core ROA client', cs);
      await Promise.all([ecs.close(), cs.close()]);
    });
    await ecs.request('DescribeRegions', {});
    await cs.get('/clusters');
    exposure.value('pop-core RPC client (ready)', ecs);
    exposure.value('pop-core ROA client (ready)', cs);
    exposure.value('pop-core RPC client spread', { ...ecs });

    // Ordinary errors pass through; pop-core's RPC error quotes the signed URL, which must hold no secret.
    const invalid = await exposure.rejection(
      'pop-core RPC InvalidParameter',
      ecs.request('DescribeInstances', { RegionId: REGION, PageSize: 101 }),
    );
    expect(invalid).toMatchObject({ code: 'InvalidParameter' });
    const missing = await exposure.rejection('pop-core ROA not found', cs.get('/clusters/c-missing'));
    expect(missing).toMatchObject({ statusCode: 404 });

    rotate('hygiene-pop-core');
    await Promise.all([ecs.request('DescribeRegions', {}, { method: 'POST' }), cs.get('/clusters')]);

    // The current key revoked without a new one: KMS answers the same key, pop-core's error is rethrown.
    cloud.revokeAccessKey(provider.currentAccessKey('hygiene-pop-core').accessKeyId);
    const revokedRpc = await exposure.rejection(
      'pop-core RPC revoked key',
      ecs.request('DescribeRegions', {}),
    );
    expect(revokedRpc).toMatchObject({ code: 'InvalidAccessKeyId.NotFound' });
    const revokedRoa = await exposure.rejection('pop-core ROA revoked key', cs.get('/clusters'));
    expect(revokedRoa).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', statusCode: 404 });
    expect(exposure.leaks()).toEqual([]);
  });

  it('KMS failure paths through the SDK: no secret, no security token, no full AccessKeyId in any error', async () => {
    // Issue 13: SDK errors quote the request URL (with Signature, AccessKeyId, SecurityToken), error bodies
    // and the server's string-to-sign. `strict` also forbids the callers' full AccessKey ids.
    const strict = new Exposure();
    const forbid = (label: string, value: string | undefined, id = false): void => {
      if (!id) exposure.secret(label, value);
      strict.secret(label, value);
    };
    newRamSecret('sdk-failure-secret');
    const regions = cloud.pluginConfig({ kmsKey: kmsCaller })['cache_client_region_id'];
    const probe = async (label: string, config: RawConfig): Promise<unknown> => {
      const provider = new ManagedCredentialsProvider({ config, retry: { attempts: 1 } });
      try {
        const error = await exposure.rejection(label, provider.getAccessKey('sdk-failure-secret'));
        strict.error(label, error);
        return error;
      } finally {
        await provider.close();
      }
    };

    // AccessKey with a wrong secret: SignatureDoesNotMatch, whose message quotes the string-to-sign.
    const caller = cloud.createKmsAccessKey();
    const wrongSecret = `Wrong${randomBytes(12).toString('hex')}`;
    forbid('AK caller secret', caller.accessKeySecret);
    forbid('wrong AK caller secret', wrongSecret);
    forbid('AK caller AccessKeyId', caller.accessKeyId, true);
    const akConfig = (secret: string, extra: RawConfig = {}): RawConfig => ({
      credentials_type: 'ak',
      credentials_access_key_id: caller.accessKeyId,
      credentials_access_secret: secret,
      cache_client_region_id: regions,
      ...extra,
    });
    expect(await probe('AK wrong secret', akConfig(wrongSecret))).toMatchObject({
      kmsCode: 'SignatureDoesNotMatch',
    });

    // ECS RAM role (STS key + security token), then a reset connection and a silent KMS.
    const roleConfig: RawConfig = {
      credentials_type: 'ecs_ram_role',
      credentials_role_name: 'fake-cloud-role',
      credentials_metadata_endpoint: cloud.metadata.endpoint,
      cache_client_region_id: regions,
      kms_request_timeout_ms: '300',
    };
    const role = new ManagedCredentialsProvider({ config: roleConfig, retry: { attempts: 1 } });
    await role.getAccessKey('sdk-failure-secret');
    await role.close();
    const sts = cloud.metadata.currentCredentials();
    forbid('STS secret', sts?.accessKeySecret);
    forbid('STS security token', sts?.securityToken);
    forbid('STS AccessKeyId', sts?.accessKeyId, true);

    // ClientKey: the whole signed RPC query (AccessKeyId=<KeyId>, Signature) travels in the URL.
    const keyFile = dir.write(`clientKey_sdk_${clientKey.keyId}.json`, clientKey.json);
    const clientKeyConfig: RawConfig = {
      credentials_type: 'client_key',
      client_key_private_key_path: keyFile,
      client_key_password_from_env_variable: PASSWORD_VARIABLE,
      cache_client_region_id: regions,
      kms_request_timeout_ms: '300',
    };
    forbid('ClientKey KeyId', clientKey.keyId, true);
    const stranger = clientKeyOf(
      'ClientKey signing with another key',
      generateClientKey({ keyId: clientKey.keyId }),
    );
    const strangerFile = dir.write('clientKey_stranger.json', stranger.json);
    const strangerPasswordFile = dir.write('stranger-password.txt', stranger.password);
    const forged = await probe('ClientKey with another private key', {
      ...clientKeyConfig,
      client_key_private_key_path: strangerFile,
      client_key_password_from_env_variable: undefined,
      client_key_password_from_file_path: strangerPasswordFile,
    });
    expect(forged).toMatchObject({ kmsCode: 'SignatureDoesNotMatch' });

    for (const [label, config] of [
      ['ecs_ram_role', roleConfig],
      ['client_key', clientKeyConfig],
    ] as const) {
      cloud.faults.kms.failNext(1, 'reset');
      expect(await probe(`${label}: reset`, config)).toMatchObject({ retryable: true });
      cloud.faults.kms.setLatency(5_000);
      try {
        const silent = await probe(`${label}: no answer`, config);
        expect((silent as Error).message).toContain('no answer within 300 ms');
      } finally {
        cloud.faults.kms.clear();
      }
      cloud.faults.kms.failNext(1, 'big-body', { status: 502, chunked: true });
      expect(await probe(`${label}: oversized answer`, config)).toMatchObject({
        code: 'MC_KMS_ANSWER_TOO_LARGE',
      });
      cloud.faults.kms.failNext(1, 'internal-error', { status: 403, code: 'Forbidden.NoPermission' });
      expect(await probe(`${label}: no permission`, config)).toMatchObject({ code: 'MC_KMS_ACCESS_DENIED' });
    }
    // The scan would have caught them: the SDK's own error for this reset quotes the signed URL.
    expect(
      strict.detects(`POST ${cloud.kms.endpoint}/?AccessKeyId=${clientKey.keyId}&Signature=x failed.`),
    ).toBe(true);
    expect(strict.leaks()).toEqual([]);
    expect(exposure.leaks()).toEqual([]);
  });

  it('after closing everything, nothing anywhere holds a secret (and the scan can find one)', async () => {
    for (const close of closers.splice(0).reverse()) await close();
    expect(events.get('closed')).toBe(8);
    expect(exposure.size).toBeGreaterThan(300);
    expect(exposure.detects(`prefix ${kmsCaller.accessKeySecret} suffix`)).toBe(true);
    expect(exposure.detects(clientKey.privateKeyPem)).toBe(true);
    expect(exposure.leaks()).toEqual([]);
  });
});
