import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessKeySnapshot } from '../src/access-key.js';
import { ManagedCredentialsProvider } from '../src/provider.js';
import { createDedicatedGatewaySource } from '../src/kms/dedicated/index.js';
import { canonicalizedQuery, hmacSha1Signature, rpcStringToSign } from './helpers/rpc-signature.js';

/**
 * One real RPC call (DescribeInstances, HMAC-SHA1) to the fake ECS with the
 * given key; ECS verifies the signature and rejects revoked keys with
 * `InvalidAccessKeyId.NotFound`, which surfaces as `error.code`.
 */
function describeInstances(cloud: FakeCloud, key: AccessKeySnapshot): Promise<string> {
  const params: Record<string, string> = {
    Action: 'DescribeInstances',
    Format: 'JSON',
    Version: '2014-05-26',
    RegionId: 'cn-hangzhou',
    AccessKeyId: key.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  params['Signature'] = hmacSha1Signature(rpcStringToSign('GET', params), key.accessKeySecret);
  return new Promise((resolve, reject) => {
    http
      .get(`${cloud.ecs.endpoint}/?${canonicalizedQuery(params)}`, { agent: false }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => {
          const body = JSON.parse(text) as { Code?: string; RequestId: string };
          if (response.statusCode === 200) resolve(body.RequestId);
          else reject(Object.assign(new Error(`ECS answered ${body.Code}`), { code: body.Code }));
        });
      })
      .on('error', reject);
  });
}

describe('provider on a dedicated gateway (KMS instance)', () => {
  let cloud: FakeCloud;
  let provider: ManagedCredentialsProvider;

  beforeAll(async () => {
    cloud = await startFakeCloud();
    const key = cloud.createClientKey();
    cloud.createRamSecret('app-secret');
    provider = new ManagedCredentialsProvider({
      source: createDedicatedGatewaySource([
        {
          regionId: 'cn-hangzhou',
          endpoint: cloud.dkms.endpoint,
          clientKey: { keyId: key.keyId, privateKeyPem: key.privateKeyPem, file: 'clientKey_test.json' },
          ignoreSslCerts: false,
          caPem: cloud.caPem,
        },
      ]),
    });
  });
  afterAll(async () => {
    await provider.close();
    await cloud.close();
  });

  it('serves the key fetched from the KMS instance and survives a rotation that revokes it', async () => {
    const retried: number[] = [];
    provider.on('call-retried', (event) => retried.push(event.toGeneration));
    const before = await provider.getAccessKey('app-secret');
    expect(before.accessKeyId).toBe(cloud.currentAccessKey('app-secret')?.accessKeyId);
    await provider.callWithAccessKey('app-secret', (key) => describeInstances(cloud, key));

    const rotation = cloud.rotate('app-secret', { revokeOld: 'now' });
    const fetchesBefore = cloud.counters.count({ service: 'dkms', action: 'GetSecretValue', outcome: 'ok' });
    const used: string[] = [];
    await provider.callWithAccessKey('app-secret', (key) => {
      used.push(key.accessKeyId);
      return describeInstances(cloud, key);
    });

    expect(used).toEqual([before.accessKeyId, rotation.accessKey.accessKeyId]);
    expect(retried).toHaveLength(1);
    expect(cloud.counters.count({ service: 'dkms', action: 'GetSecretValue', outcome: 'ok' })).toBe(
      fetchesBefore + 1,
    );
    expect(cloud.counters.count({ service: 'ecs', outcome: 'InvalidAccessKeyId.NotFound' })).toBe(1);
  });
});
