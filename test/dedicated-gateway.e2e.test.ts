/**
 * Issue 7 end to end: a KMS instance (dedicated gateway) configured ONLY by a
 * properties file — `cache_client_dkms_config_info` with a ClientKey file, its
 * password (from an env var, or from a file), the instance CA file — feeds an
 * ECS client (`createClient`) and an OSS client (`ProxyOSSClient`) on the same
 * secret through a rotation that revokes the old key at once.
 */
import { randomBytes } from 'node:crypto';
import { ManagedCredentialsProvider, type ProviderEvents } from 'managed-credentials';
import { startFakeCloud, toProperties, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRequest, EnvPatch, kmsFetches, managedEcs, REGION, TempDir } from './support/e2e.js';

/** A name no other process or test uses, so the password lives only in this test's environment. */
const PASSWORD_VARIABLE = `MC_E2E_DKMS_PASSWORD_${randomBytes(4).toString('hex').toUpperCase()}`;

let cloud: FakeCloud;
const dir = new TempDir();
const env = new EnvPatch();
/** Properties files by password source. */
const configFiles: Record<'env' | 'file', string> = { env: '', file: '' };

beforeAll(async () => {
  cloud = await startFakeCloud();
  const caFile = dir.write('PrivateKmsCA_kst-e2e.pem', cloud.caPem);
  const entry = (clientKeyFile: string, password: Record<string, string>) =>
    JSON.stringify([
      { regionId: REGION, endpoint: cloud.dkms.endpoint, clientKeyFile, caFilePath: caFile, ...password },
    ]);

  // Variant 1: the password is in an environment variable set only for this test.
  const byEnv = cloud.createClientKey({ password: randomBytes(12).toString('hex') });
  env.set(PASSWORD_VARIABLE, byEnv.password);
  configFiles.env = dir.write(
    'by-env.properties',
    toProperties({
      cache_client_dkms_config_info: entry(dir.write(`clientKey_${byEnv.keyId}.json`, byEnv.json), {
        passwordFromEnvVariable: PASSWORD_VARIABLE,
      }),
    }),
  );

  // Variant 2: the password is in a file.
  const byFile = cloud.createClientKey({ password: randomBytes(12).toString('hex') });
  configFiles.file = dir.write(
    'by-file.properties',
    toProperties({
      cache_client_dkms_config_info: entry(dir.write(`clientKey_${byFile.keyId}.json`, byFile.json), {
        passwordFromFilePath: dir.write('client-key-password.txt', `${byFile.password}\n`),
      }),
    }),
  );
});

afterAll(async () => {
  env.restore();
  await cloud?.close();
  dir.remove();
});

describe.each([
  { variant: 'env', label: 'password from an environment variable' },
  { variant: 'file', label: 'password from a file' },
] as const)('KMS instance configured by a properties file ($label)', ({ variant }) => {
  it('serves ECS and OSS clients on one secret through a rotation that revokes the old key', async () => {
    const secretName = `dkms-secret-${variant}`;
    const bucket = `dkms-bucket-${variant}`;
    const first = cloud.createRamSecret(secretName);
    const provider = new ManagedCredentialsProvider({ configFile: configFiles[variant] });
    const refreshed: ProviderEvents['refreshed'][] = [];
    const retried: ProviderEvents['call-retried'][] = [];
    provider.on('refreshed', (event) => refreshed.push(event));
    provider.on('call-retried', (event) => retried.push(event));
    const ecs = managedEcs(cloud, secretName, provider);
    const oss = new ProxyOSSClient(cloud.oss.endpoint, secretName, { provider, bucket });
    try {
      const described = await ecs.describeInstances(describeRequest());
      expect(described.statusCode).toBe(200);
      expect(described.body?.totalCount).toBe(1);
      await oss.putBucket(bucket);
      await oss.put('before.txt', Buffer.from('written with the first key'));
      expect(provider.currentAccessKey(secretName).accessKeyId).toBe(first.accessKey?.accessKeyId);
      // Both clients share one cache entry: one fetch, from the KMS instance, none from the shared gateway.
      expect(kmsFetches(cloud, secretName, 'dkms')).toBe(1);
      expect(kmsFetches(cloud, secretName, 'kms')).toBe(0);

      const rotation = cloud.rotate(secretName, { revokeOld: 'now' });
      const [afterEcs, afterOss] = await Promise.all([
        ecs.describeInstances(describeRequest()),
        oss.put('after.txt', Buffer.from('written with the rotated key')),
      ]);

      expect(afterEcs.statusCode).toBe(200);
      expect(afterOss.res.status).toBe(200);
      expect((await oss.get('before.txt')).content.toString()).toBe('written with the first key');
      expect(provider.currentAccessKey(secretName).accessKeyId).toBe(rotation.accessKey.accessKeyId);
      // Both rejections were served by ONE more fetch from the KMS instance.
      expect(kmsFetches(cloud, secretName, 'dkms')).toBe(2);
      expect(cloud.counters.count({ service: 'ecs', outcome: 'InvalidAccessKeyId.NotFound' })).toBe(1);
      expect(cloud.counters.count({ service: 'oss', outcome: 'InvalidAccessKeyId' })).toBe(1);
      expect(retried.map((event) => event.toGeneration)).toEqual([2, 2]);
      expect(refreshed.map((event) => [event.generation, event.keyChanged])).toEqual([
        [1, true],
        [2, true],
      ]);
      expect(refreshed[1]?.reason).toBe('expired-key');
      expect(refreshed[1]?.versionId).toBe(rotation.versionId);
    } finally {
      await Promise.all([ecs.close(), oss.close()]);
      await provider.close();
      cloud.counters.reset();
    }
  });
});
