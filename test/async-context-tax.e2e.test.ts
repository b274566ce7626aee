/**
 * No process-wide tax: each active AsyncLocalStorage slows every promise of
 * the whole application (on Node 20), so calls through the adapters — ECS and
 * OSS, across a rotation with refresh and retry, nested OSS operations
 * included — enter none. Only `withCallOptions`, which the user opts into,
 * enters the library's one storage. Observed by counting `run`/`enterWith` of
 * every AsyncLocalStorage in this process while the calls run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ManagedCredentialsProvider, withCallOptions } from 'managed-credentials';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ProxyOSSClient } from 'managed-credentials-oss';
import { ProxyRPCClient } from 'managed-credentials-pop-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeRequest, managedEcs } from './support/e2e.js';

let cloud: FakeCloud;
const entered: unknown[] = [];
const { run, enterWith } = AsyncLocalStorage.prototype;

beforeAll(async () => {
  cloud = await startFakeCloud();
});
afterAll(async () => {
  await cloud?.close();
});
afterEach(() => {
  AsyncLocalStorage.prototype.run = run;
  AsyncLocalStorage.prototype.enterWith = enterWith;
});

/** From now on, records the store of every AsyncLocalStorage entered in this process. */
function countEntries(): void {
  entered.length = 0;
  AsyncLocalStorage.prototype.run = function (
    this: AsyncLocalStorage<unknown>,
    store: unknown,
    ...rest: never[]
  ) {
    entered.push(store);
    return (run as (...args: unknown[]) => unknown).call(this, store, ...rest);
  } as typeof run;
  AsyncLocalStorage.prototype.enterWith = function (this: AsyncLocalStorage<unknown>, store: unknown) {
    entered.push(store);
    enterWith.call(this, store);
  };
}

describe('calls through the adapters enter no AsyncLocalStorage', () => {
  it('ECS, OSS and pop-core calls, a rotation with refresh and retry, and nested OSS operations', async () => {
    const secretName = 'tax-secret';
    const bucket = 'tax-bucket';
    cloud.createRamSecret(secretName);
    const provider = new ManagedCredentialsProvider({ config: cloud.pluginConfig() });
    const ecs = managedEcs(cloud, secretName, provider);
    const oss = new ProxyOSSClient(cloud.oss.endpoint, secretName, { provider, bucket });
    const rpc = new ProxyRPCClient({ endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26' }, secretName, {
      provider,
    });
    try {
      await oss.putBucket(bucket);
      countEntries();
      await ecs.describeInstances(describeRequest());
      await oss.put('a.txt', Buffer.from('a')); // put → putStream: a nested operation
      await rpc.request('DescribeRegions', {});
      cloud.rotate(secretName, { revokeOld: 'now' });
      const [described, got] = await Promise.all([
        ecs.describeInstances(describeRequest()),
        oss.get('a.txt'),
        rpc.request('DescribeRegions', {}),
      ]);
      expect(described.statusCode).toBe(200);
      expect(got.content.toString()).toBe('a');
      const ours = entered.filter(
        (store) => typeof store === 'object' && store !== null && 'scoped' in store,
      );
      expect(ours).toEqual([]);

      // Opting in: withCallOptions enters the library's one storage.
      await withCallOptions({ timeoutMs: 5_000 }, () => ecs.describeInstances(describeRequest()));
      expect(
        entered.filter((store) => typeof store === 'object' && store !== null && 'scoped' in store),
      ).toHaveLength(1);
    } finally {
      await rpc.close();
      await oss.close();
      await ecs.close();
      await provider.close();
    }
  });
});
