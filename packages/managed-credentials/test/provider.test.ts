import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import {
  ManagedCredentialsProvider,
  NotReadyError,
  ProviderClosedError,
  SecretNotFoundError,
  type ProviderOptions,
} from '../src/index.js';
import { FAST_RETRY, fakeCloudConfig, kmsCalls, nextEvent, recordEvents } from './helpers/kms-fixtures.js';
import { ManualScheduler } from './helpers/manual-scheduler.js';

let cloud: FakeCloud;
const providers: ManagedCredentialsProvider[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
});

afterEach(async () => {
  cloud.faults.kms.clear();
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
});

afterAll(async () => {
  await cloud.close();
});

function provider(options: Partial<ProviderOptions> = {}) {
  const scheduler = new ManualScheduler();
  const created = new ManagedCredentialsProvider({
    config: fakeCloudConfig(cloud),
    scheduler,
    clock: scheduler,
    random: () => 0,
    retry: FAST_RETRY,
    ...options,
  });
  providers.push(created);
  return { provider: created, scheduler };
}

describe('first fetch and sharing', () => {
  it('fetches on first use; a second client of the same secret causes no KMS call', async () => {
    const secret = cloud.createRamSecret('shared-one');
    const { provider: p } = provider();
    const first = p.register('shared-one');
    const key = await p.getAccessKey('shared-one');
    expect(key).toMatchObject({
      accessKeyId: secret.accessKey?.accessKeyId,
      generation: 1,
      versionId: secret.versionId,
    });
    expect(key.accessKeySecret).toBe(secret.accessKey?.accessKeySecret);
    const second = p.register('shared-one');
    await expect(p.getAccessKey('shared-one')).resolves.toBe(key);
    expect(p.currentAccessKey('shared-one')).toBe(key);
    expect(kmsCalls(cloud, 'shared-one')).toBe(1);
    first.release();
    second.release();
  });

  it('throws NotReadyError from the sync read before the first fetch, and ready() waits for it', async () => {
    cloud.createRamSecret('sync-read');
    const { provider: p } = provider();
    expect(() => p.currentAccessKey('sync-read')).toThrow(NotReadyError);
    p.register('sync-read');
    await p.ready();
    expect(p.currentAccessKey('sync-read').secretName).toBe('sync-read');
  });

  it('prefetches secret_names without blocking construction (reason "prefetch"); a failed prefetch only emits refresh-failed', async () => {
    cloud.createRamSecret('prefetched');
    const scheduler = new ManualScheduler();
    const p = new ManagedCredentialsProvider({
      config: fakeCloudConfig(cloud, { secretNames: ['prefetched', 'not-there'] }),
      scheduler,
      clock: scheduler,
      retry: FAST_RETRY,
    });
    providers.push(p);
    const refreshed = nextEvent(p, 'refreshed');
    const failed = nextEvent(p, 'refresh-failed');
    await expect(refreshed).resolves.toMatchObject({
      secretName: 'prefetched',
      reason: 'prefetch',
      generation: 1,
    });
    const failure = await failed;
    expect(failure).toMatchObject({ secretName: 'not-there', reason: 'prefetch', consecutiveFailures: 1 });
    expect(failure.error).toBeInstanceOf(SecretNotFoundError);
    await expect(p.ready(['prefetched'])).resolves.toBeUndefined();
    await expect(p.ready()).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it('accepts raw key/values as in the properties file', async () => {
    cloud.createRamSecret('from-raw');
    const p = new ManagedCredentialsProvider({ config: cloud.pluginConfig() });
    providers.push(p);
    await expect(p.getAccessKey('from-raw')).resolves.toMatchObject({
      secretName: 'from-raw',
      generation: 1,
    });
  });
});

describe('rotation', () => {
  it('picks up the rotated key on schedule: NextRotationDate + delay_interval, driven by an injected clock', async () => {
    const start = Date.now();
    const nextRotation = new Date(start + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    cloud.createRamSecret('rotating', { rotationInterval: '86400s', nextRotationDate: nextRotation });
    const scheduler = new ManualScheduler(start);
    const { provider: p } = provider({ scheduler, clock: scheduler });
    p.register('rotating');
    const before = await p.getAccessKey('rotating');
    const due = Date.parse(nextRotation) + 5 * 60_000 - start;
    expect(scheduler.nextDelayMs()).toBe(due);

    const rotated = cloud.rotate('rotating');
    scheduler.advance(due - 1);
    expect(kmsCalls(cloud, 'rotating')).toBe(1);
    const refreshed = nextEvent(p, 'refreshed');
    scheduler.advance(1);
    await expect(refreshed).resolves.toMatchObject({ reason: 'scheduled', keyChanged: true, generation: 2 });
    const after = p.currentAccessKey('rotating');
    expect(after.accessKeyId).toBe(rotated.accessKey.accessKeyId);
    expect(after.accessKeyId).not.toBe(before.accessKeyId);
    expect(after.versionId).toBe(rotated.versionId);
    // The rotated secret's next rotation is one RotationInterval away: refresh just after it.
    const nextAfterRotation = Date.parse(rotated.view.nextRotationDate ?? '');
    expect(scheduler.nextDelayMs()).toBe(nextAfterRotation + 5 * 60_000 - scheduler.now());
  });

  it('200 concurrent refreshes rejecting the same generation after a rotation make exactly 1 KMS call', async () => {
    cloud.createRamSecret('stampede');
    const { provider: p } = provider();
    const old = await p.getAccessKey('stampede');
    const rotated = cloud.rotate('stampede', { revokeOld: 'now' });
    const keys = await Promise.all(
      Array.from({ length: 200 }, () => p.refreshSecret('stampede', { rejectedGeneration: old.generation })),
    );
    expect(kmsCalls(cloud, 'stampede')).toBe(2);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(keys[0]).toMatchObject({ accessKeyId: rotated.accessKey.accessKeyId, generation: 2 });
  });
});

describe('KMS failures', () => {
  it('succeeds when KMS throttles twice and then answers', async () => {
    cloud.createRamSecret('throttled');
    const { provider: p } = provider();
    cloud.faults.kms.failNext(2, 'throttling');
    await expect(p.getAccessKey('throttled')).resolves.toMatchObject({ generation: 1 });
    expect(kmsCalls(cloud, 'throttled')).toBe(3);
  });

  it('serves the stale key through an outage, emits refresh-failed, and recovers when the outage ends', async () => {
    cloud.createRamSecret('outage');
    const { provider: p, scheduler } = provider();
    p.register('outage');
    const first = await p.getAccessKey('outage');
    const rotated = cloud.rotate('outage');
    const events = recordEvents(p, ['refresh-failed', 'stale-served', 'refreshed']);
    cloud.faults.kms.setOutage(true);
    const failed = nextEvent(p, 'refresh-failed');
    // Refreshed just after the next rotation (a day after creation) + delay_interval.
    const due = scheduler.nextDelayMs() ?? 0;
    expect(due).toBeGreaterThan(86_400_000);
    scheduler.advance(due);
    await expect(failed).resolves.toMatchObject({
      secretName: 'outage',
      reason: 'scheduled',
      consecutiveFailures: 1,
    });
    await expect(p.getAccessKey('outage')).resolves.toBe(first);
    expect(p.currentAccessKey('outage')).toBe(first);
    expect(events.some((e) => e.event === 'stale-served')).toBe(true);

    cloud.faults.kms.setOutage(false);
    const recovered = nextEvent(p, 'refreshed');
    scheduler.advance(FAST_RETRY.maxDelayMs);
    await expect(recovered).resolves.toMatchObject({ secretName: 'outage', generation: 2, keyChanged: true });
    expect(p.currentAccessKey('outage').accessKeyId).toBe(rotated.accessKey.accessKeyId);
  });

  it('uses the second region when the first is down', async () => {
    cloud.createRamSecret('two-regions');
    const config = fakeCloudConfig(cloud, {
      regions: [
        { regionId: 'dead', endpoint: 'http://127.0.0.1:1', vpc: false },
        { regionId: 'alive', endpoint: cloud.kms.endpoint, vpc: false },
      ],
    });
    const { provider: p } = provider({ config });
    await expect(p.getAccessKey('two-regions')).resolves.toMatchObject({ secretName: 'two-regions' });
  });
});

describe('registrations and close', () => {
  it('stops the timer of a secret when its last registration is released', async () => {
    cloud.createRamSecret('claimed');
    const { provider: p, scheduler } = provider();
    const a = p.register('claimed');
    const b = p.register('claimed');
    await p.getAccessKey('claimed');
    expect(scheduler.pending).toBe(1);
    a.release();
    a.release();
    expect(scheduler.pending).toBe(1);
    b.release();
    expect(scheduler.pending).toBe(0);
    expect(() => p.currentAccessKey('claimed')).toThrow(NotReadyError);
  });

  it('close() is idempotent, emits closed once, clears timers and rejects later use', async () => {
    cloud.createRamSecret('closing');
    const { provider: p, scheduler } = provider();
    await p.getAccessKey('closing');
    const closed = recordEvents(p, ['closed']);
    await p.close();
    await p.close();
    expect(closed).toHaveLength(1);
    expect(scheduler.pending).toBe(0);
    await expect(p.getAccessKey('closing')).rejects.toBeInstanceOf(ProviderClosedError);
    expect(() => p.register('closing')).toThrow(ProviderClosedError);
  });

  it('close() releases a reader waiting on the first fetch', async () => {
    cloud.createRamSecret('slow');
    const { provider: p } = provider();
    cloud.faults.kms.setLatency(5_000);
    const waiting = p.getAccessKey('slow');
    await p.close();
    await expect(waiting).rejects.toBeInstanceOf(ProviderClosedError);
  });
});
