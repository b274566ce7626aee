/**
 * ProxyRPCClient / ProxyROAClient with the real `@alicloud/pop-core` against
 * fake-cloud, which verifies pop-core's RPC (HMAC-SHA1 over the query) and ROA
 * (`Authorization: acs AK:signature`) signatures. SPEC §1 (drop-in, V1 SDK),
 * §5 (one cache entry per secret, single flight, immutable snapshots), §6
 * (expired-key judge, refresh, retry only when the key changed, other errors
 * pass through as the same object), §7 (close).
 */
import { inspect } from 'node:util';
import PopCore from '@alicloud/pop-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  ManagedCredentialsProvider,
  NotReadyError,
  setDefaultProvider,
} from 'managed-credentials';
import { whenRequestsArrive, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ProxyROAClient, ProxyRPCClient } from 'managed-credentials-pop-core';
import { createWorld, startCloud, type PopWorld } from './support/pop-world.js';
import { signaturesOfHandedCalls } from './support/handing-provider.js';
import { collectGarbageUntil } from '../../../test/support/collect-garbage.js';

const { ROAClient } = PopCore as unknown as { ROAClient: abstract new (...args: never[]) => object };

interface Cluster {
  cluster_id: string;
}

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

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('the proxies are drop-in pop-core clients', () => {
  it('are instances of RPCClient / ROAClient and keep their members', () => {
    const ecs = world.ecs({}, { codes: ['Done'] });
    const cs = world.cs();
    expect(ecs).toBeInstanceOf(PopCore);
    expect(ecs).toBeInstanceOf(ProxyRPCClient);
    expect(cs).toBeInstanceOf(ROAClient);
    expect(cs).toBeInstanceOf(ProxyROAClient);
    // pop-core declares only `request` on RPCClient; its other members are there at run time.
    const rpc = ecs as unknown as { endpoint: string; codes: Set<string> };
    expect(rpc.endpoint).toBe(cloud.ecs.endpoint);
    expect(rpc.codes.has('Done')).toBe(true);
    expect(cs.apiVersion).toBe('2015-12-15');
    expect(cs.host).toBe('127.0.0.1');
  });

  it.each(['accessKeyId', 'accessKeySecret', 'secretAccessKey', 'securityToken', 'credentialsProvider'])(
    'rejects a key source in the config: %s',
    (key) => {
      const config = { endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26', [key]: 'x' };
      const make = (): unknown => new ProxyRPCClient(config, world.secretName, { provider: world.provider });
      expect(make).toThrow(ConfigError);
      expect(make).toThrow(new RegExp(`remove "${key}"`));
      expect(() => new ProxyROAClient(config, world.secretName, { provider: world.provider })).toThrow(
        ConfigError,
      );
    },
  );

  it('rejects an empty secret name or a missing config with a TypeError', () => {
    const config = { endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26' };
    expect(() => new ProxyRPCClient(config, '', { provider: world.provider })).toThrow(TypeError);
    const missing = undefined as unknown as typeof config;
    expect(() => new ProxyROAClient(missing, world.secretName, { provider: world.provider })).toThrow(
      /config must be pop-core's config object/,
    );
  });

  it('never shows the AccessKey in JSON, inspect output or its own keys', async () => {
    const ecs = world.ecs();
    const cs = world.cs();
    const raw = ecs as unknown as { accessKeyId: string; accessKeySecret: string };
    expect(() => raw.accessKeyId).toThrow(NotReadyError);
    await ecs.ready();
    const { accessKeyId, accessKeySecret } = cloud.currentAccessKey(world.secretName)!;
    // What pop-core before 1.8 signs with: getters reading the provider's key.
    expect(raw.accessKeyId).toBe(accessKeyId);
    expect(raw.accessKeySecret).toBe(accessKeySecret);
    for (const client of [ecs, cs]) {
      expect(Object.keys(client)).not.toContain('accessKeySecret');
      expect(JSON.stringify(client)).not.toContain(accessKeySecret);
      expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(accessKeySecret);
    }
  });

  it('reads its key fields through its class: none is an own field of a client, none can be set', async () => {
    const clients = [world.ecs(), world.ecs(), world.cs()];
    await clients[0]!.ready();
    const { accessKeyId } = cloud.currentAccessKey(world.secretName)!;
    for (const client of clients) {
      const fields = client as unknown as Record<string, unknown>;
      for (const field of ['accessKeyId', 'accessKeySecret', 'securityToken']) {
        expect(Object.getOwnPropertyNames(client)).not.toContain(field);
        expect(() => {
          fields[field] = 'LTAIsetbyhand';
        }).toThrow(TypeError);
      }
      expect(fields.accessKeyId).toBe(accessKeyId);
      expect(fields.securityToken).toBeUndefined();
    }
  });

  it('uses the default provider when none is given', async () => {
    setDefaultProvider(world.provider);
    try {
      const ecs = new ProxyRPCClient(
        { endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26' },
        world.secretName,
      );
      await expect(ecs.request('DescribeRegions', {})).resolves.toHaveProperty('RequestId');
      await ecs.close();
    } finally {
      setDefaultProvider(undefined);
    }
  });

  it('closes twice without error', async () => {
    const ecs = world.ecs();
    await ecs.request('DescribeRegions', {});
    await ecs.close();
    await expect(ecs.close()).resolves.toBeUndefined();
  });

  it('a client dropped without close() releases its claim once garbage-collected', async () => {
    const provider = new ManagedCredentialsProvider({ config: world.config });
    const secretDropped = (): boolean => {
      try {
        provider.currentAccessKey(world.secretName);
        return false;
      } catch (error) {
        if (error instanceof NotReadyError) return true;
        throw error;
      }
    };
    try {
      await useAndForget(provider);
      expect(secretDropped()).toBe(false);
      expect(await collectGarbageUntil(secretDropped)).toBe(true);
    } finally {
      await provider.close();
    }
  });
});

/** Makes a client on `provider`, uses it, and drops it without close(). */
async function useAndForget(provider: ManagedCredentialsProvider): Promise<void> {
  const cs = new ProxyROAClient({ endpoint: cloud.cs.endpoint, apiVersion: '2015-12-15' }, world.secretName, {
    provider,
  });
  await cs.get('/clusters');
}

describe('RPC calls (ECS)', () => {
  it('the first call costs one KMS fetch and is signed with the secret key; later calls cost none', async () => {
    const ecs = world.ecs();
    const body = await ecs.request<{ Instances: unknown }>('DescribeInstances', { RegionId: 'cn-hangzhou' });
    expect(body.Instances).toBeDefined();
    await ecs.request('DescribeRegions', {}, { method: 'POST' });
    expect(world.kmsFetches()).toBe(1);
    expect(cloud.counters.list().at(-1)).toMatchObject({
      service: 'ecs',
      accessKeyId: cloud.currentAccessKey(world.secretName)!.accessKeyId,
      signatureMethod: 'HMAC-SHA1',
      outcome: 'ok',
    });
  });

  it('20 concurrent calls across a rotation that revokes the key all succeed, with exactly one more fetch', async () => {
    const get = world.ecs();
    const post = world.ecs();
    const cs = world.cs();
    await get.ready();
    const oldKeyId = cloud.currentAccessKey(world.secretName)!.accessKeyId;
    const rejectedBefore = world.requests('ecs', 'InvalidAccessKeyId.NotFound');
    // The fake services hold every request before checking its key, so the ECS calls are all on the
    // wire, signed with the first key, when the secret is rotated and that key revoked.
    cloud.faults.ecs.setLatency(100);
    cloud.faults.cs.setLatency(100);
    try {
      const rotated = whenRequestsArrive(cloud.ecs.endpoint, 14, () =>
        cloud.rotate(world.secretName, { revokeOld: 'now' }),
      );
      const calls = Array.from({ length: 20 }, (_, i): Promise<unknown> => {
        if (i % 3 === 2) return cs.get<Cluster[]>('/clusters');
        return i % 3 === 0
          ? get.request('DescribeInstances', { RegionId: 'cn-hangzhou' })
          : post.request('DescribeRegions', {}, { method: 'POST' });
      });
      const [, results] = await Promise.all([rotated, Promise.all(calls)]);
      expect(results).toHaveLength(20);
    } finally {
      cloud.faults.ecs.clear();
      cloud.faults.cs.clear();
    }
    expect(world.kmsFetches()).toBe(2);
    expect(world.requests('ecs', 'InvalidAccessKeyId.NotFound')).toBeGreaterThan(rejectedBefore);
    // Immutable snapshots: no request mixed a key id of one generation with a secret of another.
    expect(
      world.requests('ecs', 'SignatureDoesNotMatch') + world.requests('cs', 'SignatureDoesNotMatch'),
    ).toBe(0);
    expect(cloud.currentAccessKey(world.secretName)!.accessKeyId).not.toBe(oldKeyId);
  });

  it('a non-key error passes through as the very object pop-core threw, without refresh or retry', async () => {
    const seen: unknown[] = [];
    const ecs = world.ecs({
      isExpiredKeyError: (error) => {
        seen.push(error);
        return false;
      },
    });
    await ecs.ready();
    const before = world.requests('ecs', 'InvalidParameter');
    const error = await failureOf(
      ecs.request('DescribeInstances', { RegionId: 'cn-hangzhou', PageSize: 101 }),
    );
    expect(error).toMatchObject({ code: 'InvalidParameter', name: 'InvalidParameterError' });
    expect(seen).toHaveLength(1);
    expect(error).toBe(seen[0]);
    expect(world.requests('ecs', 'InvalidParameter')).toBe(before + 1);
    expect(world.kmsFetches()).toBe(1);
  });

  it('maxRetries: 0 refreshes but lets the expired-key error through; the next call works', async () => {
    const ecs = world.ecs({ maxRetries: 0 });
    await ecs.request('DescribeRegions', {});
    cloud.rotate(world.secretName, { revokeOld: 'now' });
    await expect(ecs.request('DescribeRegions', {})).rejects.toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
    });
    await expect(ecs.request('DescribeRegions', {})).resolves.toHaveProperty('RequestId');
    expect(world.kmsFetches()).toBe(2);
  });
});

describe('ROA calls (CS)', () => {
  it('GET /clusters works through a rotation that revokes the key, with one more fetch', async () => {
    const cs = world.cs();
    const first = await cs.request<Cluster[]>('GET', '/clusters', {}, '', {}, {});
    expect(first.map((c) => c.cluster_id)).toContain('c-fake-cloud-1');
    const rejectedBefore = world.requests('cs', 'InvalidAccessKeyId.NotFound');
    const { accessKey } = cloud.rotate(world.secretName, { revokeOld: 'now' });

    const after = await cs.get<Cluster[]>('/clusters');
    expect(after).toEqual(first);
    expect(world.kmsFetches()).toBe(2);
    expect(world.requests('cs', 'InvalidAccessKeyId.NotFound')).toBe(rejectedBefore + 1);
    expect(cloud.counters.list().at(-1)).toMatchObject({
      service: 'cs',
      accessKeyId: accessKey.accessKeyId,
      outcome: 'ok',
    });
  });

  it('a non-key error (the CS back end 404) passes through as the very object pop-core threw', async () => {
    const seen: unknown[] = [];
    const cs = world.cs({
      isExpiredKeyError: (error) => {
        seen.push(error);
        return false;
      },
    });
    const error = await failureOf(cs.get('/clusters/c-missing'));
    expect(error).toMatchObject({ statusCode: 404, result: { code: 'ErrorClusterNotFound' } });
    expect(error).toBe(seen[0]);
    expect(world.kmsFetches()).toBe(1);
  });

  it('an ECS and a CS client on one secret share one cache entry: one KMS fetch for both', async () => {
    await Promise.all([world.ecs().request('DescribeRegions', {}), world.cs().get('/clusters')]);
    expect(world.kmsFetches()).toBe(1);
  });
});

describe('failures arrive through the promise', () => {
  it('request() returns a rejected promise, never throws, when the provider throws where it is called', async () => {
    const failure = new Error('provider failed synchronously');
    const provider = {
      ...world.provider,
      register: (secretName: string) => ({ secretName, release: () => undefined }),
      callWithAccessKey: () => {
        throw failure;
      },
    } as unknown as ManagedCredentialsProvider;
    const ecs = new ProxyRPCClient({ endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26' }, 's', {
      provider,
    });
    const cs = new ProxyROAClient({ endpoint: cloud.cs.endpoint, apiVersion: '2015-12-15' }, 's', {
      provider,
    });
    let rpc: Promise<unknown> | undefined;
    let roa: Promise<unknown> | undefined;
    expect(() => (rpc = ecs.request('DescribeRegions', {}))).not.toThrow();
    expect(() => (roa = cs.request('GET', '/clusters', {}, '', {}, {}))).not.toThrow();
    await expect(rpc).rejects.toBe(failure);
    await expect(roa).rejects.toBe(failure);
  });
});

describe('key hand-over', () => {
  it('every request signs with the snapshot callWithAccessKey handed it, not with the cached key', async () => {
    const { handedKeyId, signedWith } = await signaturesOfHandedCalls(cloud, world.secretName);
    expect(signedWith).toEqual(Array.from({ length: 4 }, () => [handedKeyId, 'ok']));
  });
});
