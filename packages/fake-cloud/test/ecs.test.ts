import * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import * as $OpenApiClient from '@alicloud/openapi-client';
import * as $EcsLegacy from 'ecs-legacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type AccessKeyPair, type FakeCloud } from '../src/index.js';
import { Ecs, EcsLegacy, hostOf, rejectionOf } from './helpers.js';

/** DescribeInstances fields the tests set (both SDK majors name them alike). */
interface DescribeOptions {
  pageSize?: number;
  instanceName?: string;
  instanceIds?: string;
  tag?: Array<{ key: string; value: string }>;
}

interface ClientFlavour {
  label: string;
  /** The signature method the fake cloud should see. */
  signatureMethod: string;
  describe(
    cloud: FakeCloud,
    key: AccessKeyPair,
    request?: DescribeOptions,
  ): Promise<{ instanceIds: string[]; requestId: string | undefined }>;
  other(cloud: FakeCloud, key: AccessKeyPair): Promise<unknown>;
}

/** `@alicloud/ecs20140526@7` on the fake cloud's ECS, signing with `key`. */
function latestEcs(cloud: FakeCloud, key: AccessKeyPair): InstanceType<typeof Ecs> {
  return new Ecs(
    new $OpenApiUtil.Config({
      ...key,
      endpoint: hostOf(cloud.ecs.endpoint),
      protocol: 'http',
      regionId: 'cn-hangzhou',
    }),
  );
}

const latest: ClientFlavour = {
  label: '@alicloud/ecs20140526@7 (openapi-core)',
  signatureMethod: 'ACS3-HMAC-SHA256',
  async describe(cloud, key, request = {}) {
    const { tag, ...rest } = request;
    const response = await latestEcs(cloud, key).describeInstances(
      new $Ecs.DescribeInstancesRequest({
        regionId: 'cn-hangzhou',
        ...rest,
        ...(tag ? { tag: tag.map((t) => new $Ecs.DescribeInstancesRequestTag(t)) } : {}),
      }),
    );
    return {
      instanceIds: (response.body?.instances?.instance ?? []).map((i) => i.instanceId ?? ''),
      requestId: response.body?.requestId,
    };
  },
  other(cloud, key) {
    return latestEcs(cloud, key).describeRegions(new $Ecs.DescribeRegionsRequest({}));
  },
};

function legacy(signatureAlgorithm: string | undefined, signatureMethod: string): ClientFlavour {
  const make = (cloud: FakeCloud, key: AccessKeyPair): InstanceType<typeof EcsLegacy> =>
    new EcsLegacy(
      new $OpenApiClient.Config({
        ...key,
        endpoint: hostOf(cloud.ecs.endpoint),
        protocol: 'http',
        regionId: 'cn-hangzhou',
        ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
      }),
    );
  return {
    label: `@alicloud/ecs20140526@4 (openapi-client${signatureAlgorithm ? `, signatureAlgorithm=${signatureAlgorithm}` : ''})`,
    signatureMethod,
    async describe(cloud, key, request = {}) {
      const { tag, ...rest } = request;
      const response = await make(cloud, key).describeInstances(
        new $EcsLegacy.DescribeInstancesRequest({
          regionId: 'cn-hangzhou',
          ...rest,
          ...(tag ? { tag: tag.map((t) => new $EcsLegacy.DescribeInstancesRequestTag(t)) } : {}),
        }),
      );
      return {
        instanceIds: (response.body?.instances?.instance ?? []).map((i) => i.instanceId ?? ''),
        requestId: response.body?.requestId,
      };
    },
    other(cloud, key) {
      return make(cloud, key).describeRegions(new $EcsLegacy.DescribeRegionsRequest({}));
    },
  };
}

const flavours = [latest, legacy(undefined, 'ACS3-HMAC-SHA256'), legacy('v2', 'HMAC-SHA1')];

describe.each(flavours)('ECS with $label', (flavour) => {
  let cloud: FakeCloud;
  beforeAll(async () => {
    cloud = await startFakeCloud();
  });
  afterAll(() => cloud.close());

  it('accepts a correctly signed DescribeInstances and answers a realistic body', async () => {
    const { accessKey } = cloud.createRamSecret('ecs-ok');
    const result = await flavour.describe(cloud, accessKey!);
    expect(result.instanceIds).toEqual(['i-bp1fakecloud00000001']);
    expect(result.requestId).toMatch(/^[0-9A-F-]{36}$/);
    const [record] = cloud.counters.list().filter((r) => r.service === 'ecs');
    expect(record).toMatchObject({
      action: 'DescribeInstances',
      accessKeyId: accessKey!.accessKeyId,
      signatureMethod: flavour.signatureMethod,
      status: 200,
      outcome: 'ok',
    });
  });

  it('accepts any other action', async () => {
    const { accessKey } = cloud.createRamSecret('ecs-other');
    await expect(flavour.other(cloud, accessKey!)).resolves.toBeDefined();
    expect(cloud.counters.count({ service: 'ecs', action: 'DescribeRegions', outcome: 'ok' })).toBe(1);
  });

  it('verifies requests whose values need encoding (spaces, * ~ ! ( ), JSON, unicode, repeat lists)', async () => {
    const { accessKey } = cloud.createRamSecret('ecs-encoding');
    const result = await flavour.describe(cloud, accessKey!, {
      instanceName: "web server (prod)*~!'ü+&=",
      instanceIds: '["i-1","i-2"]',
      tag: [
        { key: 'env', value: 'a b' },
        { key: 'team/owner', value: '运维' },
      ],
    });
    expect(result.instanceIds).toHaveLength(1);
  });

  it('rejects a wrong secret with 400 SignatureDoesNotMatch', async () => {
    const { accessKey } = cloud.createRamSecret('ecs-wrong');
    const error = await rejectionOf(
      flavour.describe(cloud, { ...accessKey!, accessKeySecret: 'not-the-secret' }),
    );
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.data).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    expect(error.status).toBe(400);
  });

  it('rejects an unknown key, and a KMS caller key, with 404 InvalidAccessKeyId.NotFound', async () => {
    for (const key of [
      { accessKeyId: 'LTAI5tNoSuchKey0000000000', accessKeySecret: 'x' },
      cloud.createKmsAccessKey(),
    ]) {
      const error = await rejectionOf(flavour.describe(cloud, key));
      expect(error.code).toBe('InvalidAccessKeyId.NotFound');
      expect(error.data).toMatchObject({ Code: 'InvalidAccessKeyId.NotFound' });
      expect(error.status).toBe(404);
    }
  });

  it('after rotate + revoke rejects the old key with InvalidAccessKeyId.NotFound and accepts the new one', async () => {
    const { accessKey: old } = cloud.createRamSecret('ecs-rotated');
    const rotation = cloud.rotate('ecs-rotated', { revokeOld: 'now' });
    expect(rotation.previousAccessKeyId).toBe(old!.accessKeyId);
    expect(cloud.currentAccessKey('ecs-rotated')?.accessKeyId).toBe(rotation.accessKey.accessKeyId);
    const error = await rejectionOf(flavour.describe(cloud, old!));
    expect(error.code).toBe('InvalidAccessKeyId.NotFound');
    await expect(flavour.describe(cloud, rotation.accessKey)).resolves.toMatchObject({
      instanceIds: [expect.any(String)],
    });
  });

  it('keeps the old key valid when the rotation does not revoke it', async () => {
    const { accessKey: old } = cloud.createRamSecret('ecs-kept');
    cloud.rotate('ecs-kept', { revokeOld: false });
    await expect(flavour.describe(cloud, old!)).resolves.toBeDefined();
  });

  it('answers PageSize > 100 with 400 InvalidParameter (a non-key error)', async () => {
    const { accessKey } = cloud.createRamSecret('ecs-bad-param');
    const error = await rejectionOf(flavour.describe(cloud, accessKey!, { pageSize: 101 }));
    expect(error.code).toBe('InvalidParameter');
    expect(error.status).toBe(400);
  });
});
