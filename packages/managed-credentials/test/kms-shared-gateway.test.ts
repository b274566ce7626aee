import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedPort,
  startFakeCloud,
  whenRequestsArrive,
  type FakeCloud,
} from 'managed-credentials-fake-cloud';
import { SecretFetchError, SecretNotFoundError, type KmsAuthConfig } from '../src/index.js';
import { createKmsCaller } from '../src/kms/kms-caller.js';
import { kmsEndpointOrigin } from '../src/kms/endpoint.js';
import { isRetryableKmsAnswer } from '../src/kms/kms-error.js';
import { RegionFailoverSource } from '../src/kms/region-failover.js';
import { SharedGatewayClient } from '../src/kms/shared-gateway-client.js';
import { createSecretSource } from '../src/kms/create-secret-source.js';
import { fakeCloudConfig, kmsCalls } from './helpers/kms-fixtures.js';

let cloud: FakeCloud;
const clients: SharedGatewayClient[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
});

afterAll(async () => {
  for (const client of clients) client.close();
  await cloud.close();
});

function clientFor(
  auth: KmsAuthConfig,
  endpoint = cloud.kms.endpoint,
  timeoutMs?: number,
): SharedGatewayClient {
  const client = new SharedGatewayClient({
    endpoint,
    regionId: 'cn-hangzhou',
    caller: createKmsCaller(auth),
    timeoutMs,
  });
  clients.push(client);
  return client;
}

function akAuth(): KmsAuthConfig {
  const key = cloud.createKmsAccessKey();
  return { type: 'ak', accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
}

describe('KMS endpoint per region', () => {
  it('builds the public, VPC and explicit endpoints; a scheme and port are kept, none means HTTPS', () => {
    expect(kmsEndpointOrigin({ regionId: 'cn-hangzhou', vpc: false })).toBe(
      'https://kms.cn-hangzhou.aliyuncs.com',
    );
    expect(kmsEndpointOrigin({ regionId: 'cn-shanghai', vpc: true })).toBe(
      'https://kms-vpc.cn-shanghai.aliyuncs.com',
    );
    expect(kmsEndpointOrigin({ regionId: 'x', endpoint: 'http://127.0.0.1:18080', vpc: false })).toBe(
      'http://127.0.0.1:18080',
    );
    expect(kmsEndpointOrigin({ regionId: 'x', endpoint: 'kms.example.com', vpc: true })).toBe(
      'https://kms.example.com',
    );
  });
});

describe('which KMS answers are retried (SPEC §3)', () => {
  it.each([
    ['Throttling', 400, true],
    ['Throttling.User', 400, true],
    ['Rejected.Throttling', 400, true],
    ['ServiceUnavailableTemporary', 503, true],
    ['InternalFailure', 500, true],
    [undefined, 502, true],
    [undefined, 429, true],
    ['Forbidden.ResourceNotFound', 404, false],
    ['Forbidden.NoPermission', 403, false],
    ['InvalidAccessKeyId.NotFound', 404, false],
    ['InvalidParameter', 400, false],
    ['SignatureDoesNotMatch', 400, false],
  ] as const)('%s (HTTP %i) → retryable %s', (code, status, retryable) => {
    expect(isRetryableKmsAnswer(code, status)).toBe(retryable);
  });
});

describe('GetSecretValue through the SDK (@alicloud/openapi-client callApi)', () => {
  it('keeps the whole answer body: SecretType, ExtendedConfig (parsed), RotationInterval, NextRotationDate, CreateTime', async () => {
    const next = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const created = cloud.createRamSecret('full-body', {
      rotationInterval: '86400s',
      nextRotationDate: next,
    });
    const info = await clientFor(akAuth()).getSecretValue('full-body');
    expect(info).toMatchObject({
      secretName: 'full-body',
      secretType: 'RamCredentials',
      versionId: created.versionId,
      versionStages: ['ACSCurrent'],
      rotationInterval: '86400s',
      nextRotationDate: created.view.nextRotationDate,
      createTime: created.view.createTime,
      secretDataType: 'text',
    });
    expect(info.extendedConfig).toMatchObject({ SecretSubType: 'RamUserAccessKey' });
    expect(JSON.parse(info.secretData)).toMatchObject({ AccessKeyId: created.accessKey?.accessKeyId });
    expect(info.requestId).toBeTruthy();
  });

  it('signs with a ClientKey (SHA256withRSA) and the fake KMS verifies it with the public key', async () => {
    cloud.createRamSecret('rsa-signed');
    const material = cloud.createClientKey();
    const client = clientFor({
      type: 'client_key',
      clientKey: {
        keyId: material.keyId,
        privateKeyPem: material.privateKeyPem,
        file: 'clientKey_test.json',
      },
    });
    const info = await client.getSecretValue('rsa-signed');
    expect(info.secretName).toBe('rsa-signed');
    const last = cloud.counters.list().at(-1);
    expect(last).toMatchObject({
      accessKeyId: material.keyId,
      signatureMethod: 'SHA256withRSA',
      outcome: 'ok',
    });
  });

  it('gets STS credentials for ecs_ram_role from the (redirected) metadata endpoint and sends the SecurityToken', async () => {
    cloud.createRamSecret('via-ecs-role');
    const client = clientFor({ type: 'ecs_ram_role', metadataEndpoint: cloud.metadata.endpoint });
    await expect(client.getSecretValue('via-ecs-role')).resolves.toMatchObject({
      secretName: 'via-ecs-role',
    });
    const roleKey = cloud.metadata.currentCredentials();
    expect(cloud.counters.list().at(-1)).toMatchObject({ accessKeyId: roleKey?.accessKeyId, outcome: 'ok' });
    expect(cloud.counters.count({ service: 'metadata' })).toBeGreaterThan(0);
  });

  it('answers a missing secret with SecretNotFoundError naming the secret and endpoint', async () => {
    const error = await clientFor(akAuth())
      .getSecretValue('no-such-secret')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect(error).toMatchObject({
      code: 'MC_SECRET_NOT_FOUND',
      kmsCode: 'Forbidden.ResourceNotFound',
      httpStatus: 404,
      endpoint: cloud.kms.endpoint,
      retryable: false,
      secretName: 'no-such-secret',
    });
    expect((error as Error).message).toContain('no-such-secret');
    expect((error as Error).message).toContain(cloud.kms.endpoint);
    expect((error as SecretFetchError).requestId).toBeTruthy();
  });

  it('marks throttling and 5xx retryable, an unknown AccessKey not', async () => {
    cloud.createRamSecret('classify');
    const client = clientFor(akAuth());
    cloud.faults.kms.failNext(1, 'throttling');
    await expect(client.getSecretValue('classify')).rejects.toMatchObject({
      kmsCode: 'Throttling',
      retryable: true,
    });
    cloud.faults.kms.failNext(1, 'unavailable');
    await expect(client.getSecretValue('classify')).rejects.toMatchObject({
      httpStatus: 503,
      retryable: true,
    });
    const stranger = clientFor({
      type: 'ak',
      accessKeyId: 'LTAI-unknown',
      accessKeySecret: 'not-a-real-secret',
    });
    await expect(stranger.getSecretValue('classify')).rejects.toMatchObject({
      kmsCode: 'InvalidAccessKeyId.NotFound',
      retryable: false,
    });
  });

  it('turns a reset connection and a timeout into retryable SecretFetchErrors', async () => {
    cloud.createRamSecret('network');
    const client = clientFor(akAuth(), cloud.kms.endpoint, 200);
    cloud.faults.kms.failNext(1, 'reset');
    await expect(client.getSecretValue('network')).rejects.toMatchObject({
      retryable: true,
      endpoint: cloud.kms.endpoint,
    });
    cloud.faults.kms.setLatency(2_000);
    try {
      const error = await client.getSecretValue('network').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretFetchError);
      expect((error as Error).message).toContain('no answer within 200 ms');
    } finally {
      cloud.faults.kms.clear();
    }
  });

  it('stops waiting when the caller aborts', async () => {
    cloud.createRamSecret('aborted');
    const client = clientFor(akAuth());
    cloud.faults.kms.setLatency(2_000);
    try {
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      const arrived = whenRequestsArrive(cloud.kms.endpoint, 1, () => controller.abort(reason));
      const pending = client.getSecretValue('aborted', { signal: controller.signal });
      await arrived;
      // The caller's own reason, untouched (the SDK's transport appends the URL to errors it is handed).
      await expect(pending).rejects.toBe(reason);
      expect(reason.message).toBe('caller gave up');
      // The request itself was stopped, not left hanging until the fake's latency ran out.
      await expect
        .poll(() => cloud.counters.count({ service: 'kms', secretName: 'aborted', outcome: 'Aborted' }))
        .toBe(1);
    } finally {
      cloud.faults.kms.clear();
    }
  });
});

describe('region failover', () => {
  it('moves past a region whose port is closed to the next region', async () => {
    cloud.createRamSecret('failover-closed');
    const port = await closedPort();
    const source = createSecretSource(
      fakeCloudConfig(cloud, {
        regions: [
          { regionId: 'down', endpoint: `http://127.0.0.1:${port}`, vpc: false },
          { regionId: 'up', endpoint: cloud.kms.endpoint, vpc: false },
        ],
      }),
    );
    try {
      await expect(source.getSecretValue('failover-closed')).resolves.toMatchObject({
        secretName: 'failover-closed',
      });
    } finally {
      source.close?.();
    }
  });

  it('moves past a region in outage (connection reset) and says which endpoints failed when all do', async () => {
    cloud.createRamSecret('failover-outage');
    const auth = akAuth();
    const port = await closedPort();
    const source = new RegionFailoverSource([
      clientFor(auth, `http://127.0.0.1:${port}`),
      clientFor(auth, cloud.kms.endpoint),
    ]);
    await expect(source.getSecretValue('failover-outage')).resolves.toMatchObject({
      secretName: 'failover-outage',
    });
    cloud.faults.kms.setOutage(true);
    try {
      const error = await source.getSecretValue('failover-outage').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretFetchError);
      expect(error).toMatchObject({ retryable: true });
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      expect((error as Error).message).toContain(cloud.kms.endpoint);
    } finally {
      cloud.faults.kms.setOutage(false);
    }
  });

  it('stops at a definite answer: "not found" in the first region is not asked of the second', async () => {
    const auth = akAuth();
    const first = clientFor(auth, cloud.kms.endpoint);
    const second = clientFor(auth, cloud.kms.httpsEndpoint);
    const source = new RegionFailoverSource([first, second]);
    const before = kmsCalls(cloud, 'missing-everywhere');
    await expect(source.getSecretValue('missing-everywhere')).rejects.toBeInstanceOf(SecretNotFoundError);
    expect(kmsCalls(cloud, 'missing-everywhere') - before).toBe(1);
  });
});
