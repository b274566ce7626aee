import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import {
  ManagedCredentialsProvider,
  NonReplayableCallError,
  createExpiredKeyJudge,
  type AccessKeySnapshot,
} from '../src/index.js';
import { FAST_RETRY, fakeCloudConfig, kmsCalls, recordEvents } from './helpers/kms-fixtures.js';
import { ManualScheduler } from './helpers/manual-scheduler.js';

let cloud: FakeCloud;
let provider: ManagedCredentialsProvider;

beforeAll(async () => {
  cloud = await startFakeCloud();
});

afterEach(async () => {
  cloud.faults.kms.clear();
  await provider.close();
});

afterAll(async () => {
  await cloud.close();
});

let secretCounter = 0;
/** A fresh RAM secret and a provider for it (manual scheduler: no background refresh interferes). */
async function setup(): Promise<string> {
  secretCounter += 1;
  const name = `call-${secretCounter}`;
  cloud.createRamSecret(name);
  const scheduler = new ManualScheduler();
  provider = new ManagedCredentialsProvider({
    config: fakeCloudConfig(cloud),
    scheduler,
    clock: scheduler,
    retry: FAST_RETRY,
  });
  await provider.getAccessKey(name);
  return name;
}

/** What a tea client throws for an unknown key. */
function expiredKeyError(): Error & { code: string; data: Record<string, unknown> } {
  return Object.assign(new Error('code: 404, Specified access key is not found.'), {
    code: 'InvalidAccessKeyId.NotFound',
    data: { Code: 'InvalidAccessKeyId.NotFound', statusCode: 404 },
  });
}

/** A business call that the fake cloud would accept only with the secret's current key. */
function businessCall(secretName: string, calls: AccessKeySnapshot[]) {
  return async (key: AccessKeySnapshot): Promise<string> => {
    calls.push(key);
    if (key.accessKeyId !== cloud.currentAccessKey(secretName)?.accessKeyId) throw expiredKeyError();
    return `ok with ${key.accessKeyId}`;
  };
}

describe('callWithAccessKey', () => {
  it('refreshes and retries once with the new key when the key was rotated and revoked', async () => {
    const name = await setup();
    const events = recordEvents(provider, ['call-retried', 'refreshed']);
    const rotated = cloud.rotate(name, { revokeOld: 'now' });
    const calls: AccessKeySnapshot[] = [];
    await expect(provider.callWithAccessKey(name, businessCall(name, calls))).resolves.toBe(
      `ok with ${rotated.accessKey.accessKeyId}`,
    );
    expect(calls.map((key) => key.generation)).toEqual([1, 2]);
    expect(kmsCalls(cloud, name)).toBe(2);
    expect(events).toEqual([
      { event: 'refreshed', payload: expect.objectContaining({ reason: 'expired-key', generation: 2 }) },
      {
        event: 'call-retried',
        payload: { secretName: name, fromGeneration: 1, toGeneration: 2, attempt: 1 },
      },
    ]);
  });

  it('rethrows the original error object when the refresh brings no new key', async () => {
    const name = await setup();
    const original = expiredKeyError();
    let calls = 0;
    const error = await provider
      .callWithAccessKey(name, async () => {
        calls += 1;
        throw original;
      })
      .catch((e: unknown) => e);
    expect(error).toBe(original);
    expect(calls).toBe(1);
    expect(kmsCalls(cloud, name)).toBe(2);
  });

  it('passes any other error through untouched, without a refresh', async () => {
    const name = await setup();
    const original = Object.assign(new Error('denied'), { code: 'Forbidden.RAM' });
    const stack = original.stack;
    const error = await provider
      .callWithAccessKey(name, () => Promise.reject(original))
      .catch((e: unknown) => e);
    expect(error).toBe(original);
    expect((error as Error).stack).toBe(stack);
    expect(kmsCalls(cloud, name)).toBe(1);
  });

  it('does not retry with maxRetries 0, but the key is refreshed for the next call', async () => {
    const name = await setup();
    cloud.rotate(name, { revokeOld: 'now' });
    const calls: AccessKeySnapshot[] = [];
    await expect(
      provider.callWithAccessKey(name, businessCall(name, calls), { maxRetries: 0 }),
    ).rejects.toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
    });
    expect(calls).toHaveLength(1);
    expect(provider.currentAccessKey(name).generation).toBe(2);
  });

  it('a nested call for the same secret joins the outer call: one retry in all, same key inside', async () => {
    const name = await setup();
    cloud.rotate(name, { revokeOld: 'now' });
    const calls: AccessKeySnapshot[] = [];
    const seenInside: AccessKeySnapshot[] = [];
    const result = await provider.callWithAccessKey(name, async (outerKey) => {
      // e.g. describeInstances() calling describeInstancesWithOptions() through the proxy again
      return provider.callWithAccessKey(name, async (innerKey) => {
        seenInside.push(provider.currentAccessKey(name));
        expect(innerKey).toBe(outerKey);
        return businessCall(name, calls)(innerKey);
      });
    });
    expect(result).toMatch(/^ok with /);
    expect(calls.map((key) => key.generation)).toEqual([1, 2]);
    expect(seenInside.map((key) => key.generation)).toEqual([1, 2]);
  });

  it('currentAccessKey inside a call returns the key of that call, even after the cache moved on', async () => {
    const name = await setup();
    await provider.callWithAccessKey(name, async (key) => {
      cloud.rotate(name);
      const newer = await provider.refreshSecret(name);
      expect(newer.generation).toBe(key.generation + 1);
      expect(provider.currentAccessKey(name)).toBe(key);
    });
    expect(provider.currentAccessKey(name).generation).toBe(2);
  });

  it('concurrent calls rejected with the same key share one KMS fetch', async () => {
    const name = await setup();
    cloud.rotate(name, { revokeOld: 'now' });
    const calls: AccessKeySnapshot[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, () => provider.callWithAccessKey(name, businessCall(name, calls))),
    );
    expect(new Set(results).size).toBe(1);
    expect(kmsCalls(cloud, name)).toBe(2);
  });

  it('stops waiting for the refresh when the caller aborts', async () => {
    const name = await setup();
    cloud.faults.kms.setLatency(5_000);
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pending = provider.callWithAccessKey(
      name,
      async () => {
        setImmediate(() => controller.abort(reason));
        throw expiredKeyError();
      },
      { signal: controller.signal },
    );
    await expect(pending).rejects.toBe(reason);
  });

  it('rethrows the original error when the time budget runs out during the refresh', async () => {
    const name = await setup();
    cloud.faults.kms.setLatency(5_000);
    const original = expiredKeyError();
    await expect(
      provider.callWithAccessKey(name, () => Promise.reject(original), { timeoutMs: 50 }),
    ).rejects.toBe(original);
  });

  it('fails with NonReplayableCallError (cause: the original) when the call cannot be sent again', async () => {
    const name = await setup();
    cloud.rotate(name, { revokeOld: 'now' });
    const calls: AccessKeySnapshot[] = [];
    const error = await provider
      .callWithAccessKey(name, businessCall(name, calls), { replayable: () => false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonReplayableCallError);
    expect((error as Error).cause).toMatchObject({ code: 'InvalidAccessKeyId.NotFound' });
    expect(calls).toHaveLength(1);
    expect(provider.currentAccessKey(name).generation).toBe(2);
  });

  it('uses a custom judge: Unauthorized counts only when asked for', async () => {
    const name = await setup();
    cloud.rotate(name);
    const unauthorized = Object.assign(new Error('Unauthorized'), { code: 'Unauthorized' });
    let calls = 0;
    const call = async (key: AccessKeySnapshot) => {
      calls += 1;
      if (key.generation === 1) throw unauthorized;
      return key.generation;
    };
    await expect(provider.callWithAccessKey(name, call)).rejects.toBe(unauthorized);
    expect(kmsCalls(cloud, name)).toBe(1);
    await expect(
      provider.callWithAccessKey(name, call, {
        isExpiredKeyError: createExpiredKeyJudge({ treatUnauthorizedAsExpired: true }),
      }),
    ).resolves.toBe(2);
    expect(calls).toBe(3);
  });
});
