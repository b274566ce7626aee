/**
 * `credentials_type=ecs_ram_role` end to end: the plug-in takes STS
 * credentials from the (fake) instance metadata service named by
 * `credentials_metadata_endpoint` — never 100.100.100.200 — signs KMS calls
 * with them, and an ECS client keeps working through a rotation. Environment
 * variables with the key names override the properties file key by key.
 */
import { loadConfig, ManagedCredentialsProvider, SecretFetchError } from 'managed-credentials';
import { closedPort, startFakeCloud, toProperties, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeRequest, EnvPatch, kmsFetches, managedEcs, REGION, TempDir } from './support/e2e.js';

const ROLE = 'e2e-instance-role';

let cloud: FakeCloud;
const dir = new TempDir();
const env = new EnvPatch();

function regions(endpoint: string): string {
  return JSON.stringify([{ regionId: REGION, endpoint }]);
}

beforeAll(async () => {
  cloud = await startFakeCloud({ roleName: ROLE });
});
afterEach(() => env.restore());
afterAll(async () => {
  await cloud?.close();
  dir.remove();
});

describe('credentials_type=ecs_ram_role from a properties file', () => {
  it('authenticates to KMS with the instance role and keeps an ECS client working through a rotation', async () => {
    const secretName = 'role-secret';
    cloud.createRamSecret(secretName);
    const configFile = dir.write(
      'ecs-ram-role.properties',
      toProperties({
        credentials_type: 'ecs_ram_role',
        credentials_role_name: ROLE,
        credentials_metadata_endpoint: cloud.metadata.endpoint,
        cache_client_region_id: regions(cloud.kms.endpoint),
      }),
    );
    const provider = new ManagedCredentialsProvider({ configFile });
    const ecs = managedEcs(cloud, secretName, provider);
    try {
      expect((await ecs.describeInstances(describeRequest())).statusCode).toBe(200);
      const rotation = cloud.rotate(secretName, { revokeOld: 'now' });
      const after = await ecs.describeInstances(describeRequest());

      expect(after.statusCode).toBe(200);
      expect(provider.currentAccessKey(secretName).accessKeyId).toBe(rotation.accessKey.accessKeyId);
      expect(kmsFetches(cloud, secretName)).toBe(2);
      expect(cloud.counters.count({ service: 'ecs', outcome: 'InvalidAccessKeyId.NotFound' })).toBe(1);
      // The role's STS credentials came from OUR metadata endpoint and signed every KMS call.
      expect(
        cloud.counters.count({ service: 'metadata', action: 'GetRoleCredentials', outcome: 'ok' }),
      ).toBeGreaterThan(0);
      const stsKeyId = cloud.metadata.currentCredentials()?.accessKeyId;
      expect(stsKeyId).toMatch(/^STS\./);
      const kmsCallers = cloud.counters
        .list()
        .filter((record) => record.service === 'kms' && record.secretName === secretName)
        .map((record) => record.accessKeyId);
      expect(kmsCallers).toEqual([stsKeyId, stsKeyId]);
    } finally {
      await ecs.close();
      await provider.close();
    }
  });
});

describe('environment variables override the properties file key by key', () => {
  /** A file whose region refuses connections and whose role is not attached: it only works if overridden. */
  async function brokenFile(): Promise<string> {
    return dir.write(
      'overridden.properties',
      toProperties({
        credentials_type: 'ecs_ram_role',
        credentials_role_name: 'role-not-attached',
        credentials_metadata_endpoint: cloud.metadata.endpoint,
        cache_client_region_id: regions(`http://127.0.0.1:${await closedPort()}`),
      }),
    );
  }

  it('cache_client_region_id and credentials_role_name from the environment win over the file', async () => {
    const secretName = 'env-override-secret';
    cloud.createRamSecret(secretName);
    const configFile = await brokenFile();
    env.set('cache_client_region_id', regions(cloud.kms.endpoint)).set('credentials_role_name', ROLE);

    const config = loadConfig({ file: configFile });
    expect(config.origin.keys).toMatchObject({
      cache_client_region_id: 'env',
      credentials_role_name: 'env',
      credentials_type: 'file',
      credentials_metadata_endpoint: 'file',
    });
    expect(config.regions.map((region) => region.endpoint)).toEqual([cloud.kms.endpoint]);

    const provider = new ManagedCredentialsProvider({ configFile, retry: { attempts: 1 } });
    const ecs = managedEcs(cloud, secretName, provider);
    try {
      expect((await ecs.describeInstances(describeRequest())).statusCode).toBe(200);
      expect(kmsFetches(cloud, secretName)).toBe(1);
    } finally {
      await ecs.close();
      await provider.close();
    }
  });

  it('an empty variable counts as unset: the broken file values are used and the fetch fails', async () => {
    const configFile = await brokenFile();
    env.set('cache_client_region_id', '').set('credentials_role_name', ROLE);
    expect(loadConfig({ file: configFile }).origin.keys.cache_client_region_id).toBe('file');

    const provider = new ManagedCredentialsProvider({ configFile, retry: { attempts: 1 } });
    try {
      const failure = provider.getAccessKey('env-override-secret');
      await expect(failure).rejects.toBeInstanceOf(SecretFetchError);
      await expect(failure).rejects.toMatchObject({ code: 'MC_SECRET_FETCH_FAILED', retryable: true });
    } finally {
      await provider.close();
    }
  });
});
