/**
 * The lower bound of the peer range, `@alicloud/pop-core@1.7.0`: no
 * `credentialsProvider` (the key is read from `client.accessKeyId` /
 * `accessKeySecret` while the request is built) and an `ROAClient` whose
 * HTTP >= 400 error carries the code only in its `name`. The real 1.7.0 is
 * loaded in place of the 1.8 this package is developed against; the rest of
 * the suite runs on 1.8.0. SPEC §1, §6.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeCloud } from 'managed-credentials-fake-cloud';
import { ProxyROAClient, ProxyRPCClient } from 'managed-credentials-pop-core';
import { createWorld, startCloud, type PopWorld } from './support/pop-world.js';
import { signaturesOfHandedCalls } from './support/handing-provider.js';

vi.mock('@alicloud/pop-core', () => import('pop-core-lower-bound'));

let cloud: FakeCloud;
let world: PopWorld;

beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await cloud.close();
});
beforeEach(() => {
  world = createWorld(cloud);
});
afterEach(async () => {
  await world.close();
});

describe('@alicloud/pop-core 1.7.0 (the lower bound of the peer range)', () => {
  it('is the version under test', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const { version } = require('pop-core-lower-bound/package.json') as { version: string };
    expect(version).toBe('1.7.0');
    const { default: Loaded } = await import('@alicloud/pop-core');
    const { default: LowerBound } = await import('pop-core-lower-bound');
    expect(Loaded).toBe(LowerBound);
    expect(world.ecs()).toBeInstanceOf(LowerBound);
  });

  it('RPC: first call costs one fetch; after a rotation that revokes the key the call is retried', async () => {
    const ecs = world.ecs();
    await ecs.request('DescribeRegions', {});
    expect(world.kmsFetches()).toBe(1);
    const { accessKey } = cloud.rotate(world.secretName, { revokeOld: 'now' });
    await expect(ecs.request('DescribeInstances', { RegionId: 'cn-hangzhou' })).resolves.toHaveProperty(
      'Instances',
    );
    expect(world.kmsFetches()).toBe(2);
    expect(cloud.counters.list().at(-1)).toMatchObject({
      service: 'ecs',
      accessKeyId: accessKey.accessKeyId,
    });
  });

  it('ROA: the code-less 1.7.0 error (name InvalidAccessKeyId.NotFoundError) is judged an expired key', async () => {
    const cs = world.cs();
    await cs.get('/clusters');
    cloud.rotate(world.secretName, { revokeOld: 'now' });
    const rejectedBefore = world.requests('cs', 'InvalidAccessKeyId.NotFound');
    await expect(cs.get('/clusters')).resolves.toHaveLength(2);
    expect(world.requests('cs', 'InvalidAccessKeyId.NotFound')).toBe(rejectedBefore + 1);
    expect(world.kmsFetches()).toBe(2);
  });

  it('20 concurrent RPC and ROA calls across a rotation all succeed with one more fetch', async () => {
    const ecs = world.ecs();
    const cs = world.cs();
    await ecs.ready();
    cloud.rotate(world.secretName, { revokeOld: 'now' });
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? ecs.request('DescribeRegions', {}) : cs.get('/clusters'),
    );
    await expect(Promise.all(calls)).resolves.toHaveLength(20);
    expect(world.kmsFetches()).toBe(2);
    expect(
      world.requests('ecs', 'SignatureDoesNotMatch') + world.requests('cs', 'SignatureDoesNotMatch'),
    ).toBe(0);
  });

  it('the key fields 1.7.0 assigns in its constructor stay out of the client; requests read them through the class', async () => {
    const clients = [world.ecs(), world.cs()];
    await clients[0]!.ready();
    for (const client of clients) {
      for (const field of ['accessKeyId', 'accessKeySecret', 'securityToken']) {
        expect(Object.getOwnPropertyNames(client)).not.toContain(field);
      }
      expect((client as unknown as { accessKeyId: string }).accessKeyId).toBe(
        cloud.currentAccessKey(world.secretName)!.accessKeyId,
      );
    }
  });

  it('classes are still the proxies', () => {
    expect(world.ecs()).toBeInstanceOf(ProxyRPCClient);
    expect(world.cs()).toBeInstanceOf(ProxyROAClient);
  });
});

describe('key hand-over', () => {
  it('every request signs with the snapshot callWithAccessKey handed it, not with the cached key', async () => {
    const { handedKeyId, signedWith } = await signaturesOfHandedCalls(cloud, world.secretName);
    expect(signedWith).toEqual(Array.from({ length: 4 }, () => [handedKeyId, 'ok']));
  });
});
