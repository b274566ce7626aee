import { describe, expect, it } from 'vitest';
import { SecretFetchError, SecretFormatError, SecretNotFoundError } from '../src/index.js';
import { fullJitterDelayMs, resolveRetryOptions } from '../src/cache/retry.js';
import { TokenBucket } from '../src/cache/token-bucket.js';
import { manualProviders } from './helpers/manual-provider.js';
import { FAST_RETRY, recordEvents } from './helpers/kms-fixtures.js';

const throttled = (name: string) =>
  new SecretFetchError(`throttled for ${name}`, { secretName: name, retryable: true, kmsCode: 'Throttling' });
const unavailable = (name: string) =>
  new SecretFetchError(`KMS unavailable for ${name}`, { secretName: name, retryable: true, httpStatus: 503 });

const setup = manualProviders();

describe('backoff and token bucket', () => {
  it('full jitter grows from the initial delay up to the cap', () => {
    const options = resolveRetryOptions();
    expect(options).toEqual({
      initialDelayMs: 2_000,
      maxDelayMs: 10_000,
      attempts: 3,
      fetchDeadlineMs: 30_000,
    });
    const top = () => 0.999_999;
    expect(fullJitterDelayMs(1, options, top)).toBe(1_999);
    expect(fullJitterDelayMs(2, options, top)).toBe(3_999);
    expect(fullJitterDelayMs(3, options, top)).toBe(7_999);
    expect(fullJitterDelayMs(9, options, top)).toBe(9_999);
    expect(fullJitterDelayMs(3, options, () => 0)).toBe(0);
  });

  it('hands out 5 tokens, then one per refill period', () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 5, refillMs: 600_000, monotonic: () => now });
    expect([1, 2, 3, 4, 5, 6].map(() => bucket.tryTake())).toEqual([true, true, true, true, true, false]);
    now += 599_999;
    expect(bucket.tryTake()).toBe(false);
    now += 1;
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    now += 100 * 600_000;
    expect(bucket.tokens).toBe(5);
  });
});

describe('first fetch and single flight', () => {
  it('makes concurrent first readers share one fetch', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    const keys = await Promise.all(Array.from({ length: 20 }, () => provider.getAccessKey('s')));
    expect(source.calls).toBe(1);
    expect(new Set(keys.map((key) => key.generation))).toEqual(new Set([1]));
    expect(keys[0]).toMatchObject({ accessKeyId: 'AK1', accessKeySecret: 'secret-1', versionId: 'v1' });
  });

  it('retries retryable failures of the first fetch and gives up after the bounded attempts', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    source.failures.push(throttled('s'), throttled('s'));
    await expect(provider.getAccessKey('s')).resolves.toMatchObject({ accessKeyId: 'AK1' });
    expect(source.calls).toBe(3);

    source.failures.push(...Array.from({ length: 4 }, () => unavailable('t')));
    source.put('t', 'AK2', 'secret-2');
    await expect(provider.getAccessKey('t')).rejects.toBeInstanceOf(SecretFetchError);
    expect(source.calls).toBe(3 + 4);
  });

  it('does not retry a missing or malformed secret, and hands the typed error to the reader', async () => {
    const { source, provider } = setup();
    await expect(provider.getAccessKey('missing')).rejects.toBeInstanceOf(SecretNotFoundError);
    expect(source.calls).toBe(1);
    source.failures.push(new SecretFormatError('secret "bad" has no key pair', { secretName: 'bad' }));
    await expect(provider.getAccessKey('bad')).rejects.toBeInstanceOf(SecretFormatError);
    expect(source.calls).toBe(2);
  });

  it('refreshSecret with a generation that is no longer current resolves to the current key without a fetch', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    source.put('s', 'AK2', 'secret-2');
    const fresh = await provider.refreshSecret('s', { rejectedGeneration: 1 });
    expect(fresh).toMatchObject({ accessKeyId: 'AK2', generation: 2 });
    const calls = source.calls;
    await expect(provider.refreshSecret('s', { rejectedGeneration: 1 })).resolves.toBe(fresh);
    expect(source.calls).toBe(calls);
  });

  it('hands out immutable snapshots: a rotation never changes a key already handed out', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    const first = await provider.getAccessKey('s');
    source.put('s', 'AK2', 'secret-2');
    const second = await provider.refreshSecret('s');
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => Object.assign(first, { accessKeyId: 'AK2' })).toThrow(TypeError);
    expect([first.accessKeyId, first.accessKeySecret, first.generation]).toEqual(['AK1', 'secret-1', 1]);
    expect([second.accessKeyId, second.accessKeySecret, second.generation]).toEqual(['AK2', 'secret-2', 2]);
  });

  it('a forced refresh of the same version keeps the generation (keyChanged false)', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    const events = recordEvents(provider, ['refreshed']);
    await provider.getAccessKey('s');
    const again = await provider.refreshSecret('s');
    expect(again.generation).toBe(1);
    expect(events.map((e) => e.payload)).toMatchObject([
      { reason: 'first-use', keyChanged: true, generation: 1 },
      { reason: 'manual', keyChanged: false, generation: 1 },
    ]);
  });
});

describe('events', () => {
  it('a listener that throws breaks neither the refresh nor the other listeners (reported as a warning)', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const seen: number[] = [];
      provider.on('refreshed', () => {
        throw new Error('listener bug');
      });
      provider.on('refreshed', (event) => seen.push(event.generation));
      await expect(provider.getAccessKey('s')).resolves.toMatchObject({ accessKeyId: 'AK1' });
      expect(seen).toEqual([1]);
      await expect
        .poll(() => warnings.map((w) => (w as Error & { code?: string }).code))
        .toContain('MC_LISTENER_FAILED');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('off() removes a listener', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    const seen: unknown[] = [];
    const listener = (event: unknown) => seen.push(event);
    provider.on('refreshed', listener).off('refreshed', listener);
    await provider.getAccessKey('s');
    expect(seen).toEqual([]);
  });
});

describe('token bucket for error-triggered refreshes', () => {
  it('spends no token on fetches that bring a new key: a rotation storm is never refused', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    const limited = recordEvents(provider, ['rate-limited']);
    let key = await provider.getAccessKey('s');
    for (let i = 0; i < 20; i += 1) {
      source.put('s', `AK${i + 2}`, `secret-${i + 2}`);
      key = await provider.refreshSecret('s', { rejectedGeneration: key.generation });
    }
    expect(key).toMatchObject({ accessKeyId: 'AK21', generation: 21 });
    expect(source.calls).toBe(21);
    expect(limited).toEqual([]);
  });
});

describe('scheduled refresh, stale serving and degraded state', () => {
  it('refreshes in the background at refresh_secret_ttl and never blocks readers meanwhile', async () => {
    const { source, provider, scheduler } = setup();
    source.put('s', 'AK1', 'secret-1');
    provider.register('s');
    await provider.getAccessKey('s');
    expect(scheduler.nextDelayMs()).toBe(6 * 3600_000);
    source.put('s', 'AK2', 'secret-2');
    source.hold();
    scheduler.advance(6 * 3600_000);
    expect(source.calls).toBe(2);
    // The fetch is held: readers still get the old key at once.
    expect(provider.currentAccessKey('s').accessKeyId).toBe('AK1');
    await expect(provider.getAccessKey('s')).resolves.toMatchObject({ accessKeyId: 'AK1' });
    const refreshed = new Promise((resolve) => provider.on('refreshed', resolve));
    source.release();
    await expect(refreshed).resolves.toMatchObject({ reason: 'scheduled', generation: 2, keyChanged: true });
    expect(provider.currentAccessKey('s').accessKeyId).toBe('AK2');
  });

  it('keeps serving the last key when refreshes fail, retries with backoff, reports stale and degraded, then recovers', async () => {
    const { source, provider, scheduler } = setup({ degradedAfterMs: 60_000 });
    source.put('s', 'AK1', 'secret-1');
    provider.register('s');
    await provider.getAccessKey('s');
    const events = recordEvents(provider, ['refresh-failed', 'stale-served', 'degraded', 'refreshed']);
    source.failures.push(...Array.from({ length: 400 }, () => unavailable('s')));
    const failed = () => events.filter((e) => e.event === 'refresh-failed').length;

    scheduler.advance(6 * 3600_000);
    await expect.poll(failed).toBe(1);
    expect(source.calls).toBe(1 + 4);
    const firstFailure = events.find((e) => e.event === 'refresh-failed')?.payload;
    expect(firstFailure).toMatchObject({ secretName: 's', reason: 'scheduled', consecutiveFailures: 1 });
    expect((firstFailure as { nextAttemptAt: number }).nextAttemptAt).toBeGreaterThanOrEqual(scheduler.now());
    // Backoff, not a whole period: the next attempt is due within the cap.
    expect(scheduler.nextDelayMs()).toBeLessThanOrEqual(FAST_RETRY.maxDelayMs);

    expect(provider.currentAccessKey('s').accessKeyId).toBe('AK1');
    expect(events.filter((e) => e.event === 'stale-served')).toHaveLength(1);

    for (let round = 2; round <= 4; round += 1) {
      scheduler.advance(60_000);
      await expect.poll(failed).toBe(round);
    }
    expect(events.filter((e) => e.event === 'degraded')).toHaveLength(1);
    expect(events.find((e) => e.event === 'degraded')?.payload).toMatchObject({
      secretName: 's',
      generation: 1,
    });

    source.failures.length = 0;
    source.put('s', 'AK2', 'secret-2');
    scheduler.advance(60_000);
    await expect.poll(() => provider.currentAccessKey('s').accessKeyId).toBe('AK2');
    expect(events.at(-1)).toMatchObject({
      event: 'refreshed',
      payload: { reason: 'scheduled', generation: 2 },
    });
  });

  it.each([
    { claimed: true, readsBefore: 0 },
    // Reads while nothing is due are served without checks (the entry's quiet window): the first read past
    // the due time must still see it.
    { claimed: true, readsBefore: 3 },
    // Without a claim there is no timer: that read starts the refresh itself (not staleness: nothing failed).
    { claimed: false, readsBefore: 3 },
  ])(
    'refreshes on read when the timer did not fire in time (a frozen process): claimed $claimed, $readsBefore reads before',
    async ({ claimed, readsBefore }) => {
      const { source, provider, scheduler } = setup();
      source.put('s', 'AK1', 'secret-1');
      if (claimed) provider.register('s');
      await provider.getAccessKey('s');
      for (let i = 0; i < readsBefore; i++) expect(provider.currentAccessKey('s').accessKeyId).toBe('AK1');
      source.put('s', 'AK2', 'secret-2');
      const events = recordEvents(provider, ['stale-served', 'refreshed']);
      scheduler.freeze(7 * 3600_000);
      // The read is served at once with the old key, and starts the overdue refresh.
      expect(provider.currentAccessKey('s').accessKeyId).toBe('AK1');
      if (claimed) {
        expect(events[0]).toMatchObject({
          event: 'stale-served',
          payload: { secretName: 's', generation: 1 },
        });
      }
      await expect.poll(() => provider.currentAccessKey('s').accessKeyId).toBe('AK2');
      expect(source.calls).toBe(2);
    },
  );
});
