/**
 * The V1 core SDK `@alicloud/pop-core` against fake-cloud: its RPC signature
 * (HMAC-SHA1 over the query or form body) on ECS and its ROA signature
 * (`Authorization: acs AK:signature`) on CS are verified as the real POP
 * gateway does, and errors come back in the services' shapes (SPEC §6:
 * `InvalidAccessKeyId.NotFound` is what the plug-in reacts to).
 */
import PopCore from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type AccessKeyPair, type FakeCloud } from '../src/index.js';

interface RoaClient {
  request<T>(method: string, path: string, query?: object, body?: string, headers?: object): Promise<T>;
  get<T>(path: string, query?: object): Promise<T>;
}
type RoaClientClass = new (config: PopCore.Config) => RoaClient;
const ROAClient = (PopCore as unknown as { ROAClient: RoaClientClass }).ROAClient;

interface PopError {
  code?: string;
  name: string;
  statusCode?: number;
  data?: { Code?: string; HostId?: string };
}

async function failureOf<E>(call: Promise<unknown>): Promise<E> {
  try {
    await call;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

let cloud: FakeCloud;
let key: AccessKeyPair;

beforeAll(async () => {
  cloud = await startFakeCloud();
  key = cloud.createRamSecret('pop-core-secret').accessKey!;
});

afterAll(async () => {
  await cloud?.close();
});

const rpc = (signWith: AccessKeyPair = key): PopCore =>
  new PopCore({ endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26', ...signWith });
const roa = (signWith: AccessKeyPair = key): RoaClient =>
  new ROAClient({ endpoint: cloud.cs.endpoint, apiVersion: '2015-12-15', ...signWith });

describe('RPCClient on ECS (HMAC-SHA1 over the query)', () => {
  it.each(['GET', 'POST'])('a %s call signed with a live key succeeds', async (method) => {
    const body = await rpc().request<{ Instances: { Instance: unknown[] } }>(
      'DescribeInstances',
      { RegionId: 'cn-hangzhou', Tag: [{ Key: 'env', Value: 'test' }] },
      { method },
    );
    expect(body.Instances).toBeDefined();
    expect(cloud.counters.list().at(-1)).toMatchObject({
      service: 'ecs',
      action: 'DescribeInstances',
      accessKeyId: key.accessKeyId,
      signatureMethod: 'HMAC-SHA1',
      outcome: 'ok',
    });
  });

  it('a wrong secret is SignatureDoesNotMatch, a revoked key InvalidAccessKeyId.NotFound (HTTP 404)', async () => {
    const wrong = await failureOf<PopError>(
      rpc({ ...key, accessKeySecret: 'not-the-secret' }).request('DescribeRegions', {}),
    );
    expect(wrong.code).toBe('SignatureDoesNotMatch');

    const doomed = cloud.createRamSecret('pop-core-revoked').accessKey!;
    cloud.revokeAccessKey(doomed.accessKeyId);
    const revoked = await failureOf<PopError>(rpc(doomed).request('DescribeRegions', {}, { method: 'POST' }));
    expect(revoked).toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
      name: 'InvalidAccessKeyId.NotFoundError',
    });
    expect(revoked.data).toMatchObject({
      Code: 'InvalidAccessKeyId.NotFound',
      HostId: 'ecs.fake-cloud.local',
    });
    expect(cloud.counters.list().at(-1)).toMatchObject({
      status: 404,
      outcome: 'InvalidAccessKeyId.NotFound',
    });
  });
});

describe('ROAClient on CS (Authorization: acs AK:signature)', () => {
  it('GET /clusters signed with a live key lists the clusters', async () => {
    const clusters = await roa().get<Array<{ cluster_id: string }>>('/clusters', { name: 'fake cluster*' });
    expect(clusters.map((c) => c.cluster_id)).toEqual(['c-fake-cloud-1', 'c-fake-cloud-2']);
    expect(cloud.counters.list().at(-1)).toMatchObject({
      service: 'cs',
      action: 'DescribeClusters',
      accessKeyId: key.accessKeyId,
      signatureMethod: 'HMAC-SHA1',
      outcome: 'ok',
    });
  });

  it('a POST with a body is verified with its Content-MD5', async () => {
    const error = await failureOf<PopError>(
      roa().request('POST', '/clusters/c-fake-cloud-1', {}, '{"name":"x"}', {
        'content-type': 'application/json',
      }),
    );
    // Authenticated (body and signature fine), then answered by the routes: no such API.
    expect(error).toMatchObject({ code: 'InvalidAction.NotFound', statusCode: 404 });
  });

  it('a wrong secret is SignatureDoesNotMatch (400), a revoked key InvalidAccessKeyId.NotFound (404)', async () => {
    const wrong = await failureOf<PopError>(roa({ ...key, accessKeySecret: 'nope' }).get('/clusters'));
    expect(wrong).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });

    const doomed = cloud.createRamSecret('pop-core-roa-revoked').accessKey!;
    cloud.revokeAccessKey(doomed.accessKeyId);
    const revoked = await failureOf<PopError>(roa(doomed).get('/clusters'));
    expect(revoked).toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
      name: 'InvalidAccessKeyId.NotFoundError',
      statusCode: 404,
    });
  });

  it('an unknown cluster is the CS back end 404 in its own shape, not a key error', async () => {
    const error = await failureOf<PopError & { result?: unknown }>(roa().get('/clusters/c-missing'));
    expect(error.statusCode).toBe(404);
    expect(error.result).toMatchObject({ code: 'ErrorClusterNotFound', status: 404 });
    expect(cloud.counters.list().at(-1)).toMatchObject({ service: 'cs', outcome: 'ErrorClusterNotFound' });
  });

  it('a replayed request (same nonce) is refused', async () => {
    const fixed = { 'x-acs-signature-nonce': 'fixed-nonce-once' };
    await roa().request('GET', '/clusters', {}, '', fixed);
    const replay = await failureOf<PopError>(roa().request('GET', '/clusters', {}, '', fixed));
    expect(replay).toMatchObject({ code: 'SignatureNonceUsed', statusCode: 400 });
  });
});
