import { describe, expect, it } from 'vitest';
import {
  CallTimeoutError,
  SecretFetchError,
  SecretNotFoundError,
  type SecretInfo,
  type SecretSource,
} from '../src/index.js';
import { resolveRetryOptions } from '../src/cache/retry.js';
import { DEFAULT_KMS_REQUEST_TIMEOUT_MS } from '../src/kms/request-timeout.js';
import { DEFAULT_CALL_TIMEOUT_MS } from '../src/call/call-options.js';
import { FAST_RETRY, recordEvents } from './helpers/kms-fixtures.js';
import { MemorySource } from './helpers/memory-source.js';
import { manualProviders } from './helpers/manual-provider.js';

const setup = manualProviders();

const unavailable = (name: string) =>
  new SecretFetchError(`KMS unavailable for ${name}`, { secretName: name, retryable: true, httpStatus: 503 });
const throttled = (name: string) =>
  new SecretFetchError(`throttled for ${name}`, { secretName: name, retryable: true, kmsCode: 'Throttling' });

/** A KMS whose answers never come (until the provider closes). */
class SilentSource implements SecretSource {
  calls = 0;
  /** Failures thrown, in order, before going silent. */
  readonly failures: Error[] = [];

  getSecretValue(_secretName: string, options: { signal?: AbortSignal } = {}): Promise<SecretInfo> {
    this.calls += 1;
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    return new Promise((_resolve, reject) => {
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    });
  }
}

describe('the call budget while waiting for the first fetch', () => {
  it('the default budget covers a waited fetch: attempts × request timeout + backoff ceilings', () => {
    const retry = resolveRetryOptions();
    let worstCaseMs = retry.attempts * DEFAULT_KMS_REQUEST_TIMEOUT_MS;
    for (let failure = 1; failure < retry.attempts; failure += 1) {
      worstCaseMs += Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (failure - 1));
    }
    expect(worstCaseMs).toBeLessThanOrEqual(DEFAULT_CALL_TIMEOUT_MS);
  });

  it('running out of its own budget is a CallTimeoutError (MC_TIMEOUT) naming the secret and the budget', async () => {
    const source = new SilentSource();
    const { provider } = setup({}, source);
    const error = await provider
      .callWithAccessKey('slow', () => Promise.resolve('never'), { timeoutMs: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ code: 'MC_TIMEOUT', secretName: 'slow', timeoutMs: 20 });
    expect((error as Error).message).toContain('"slow"');
    expect((error as Error).message).toContain('20 ms');
    expect((error as Error).cause).toBeUndefined();
  });

  it('carries the latest failed KMS attempt as the cause', async () => {
    const source = new SilentSource();
    const failure = throttled('flaky');
    source.failures.push(failure);
    const { provider } = setup({}, source);
    const error = await provider
      .callWithAccessKey('flaky', () => Promise.resolve('never'), { timeoutMs: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as Error).cause).toBe(failure);
    expect(source.calls).toBe(2);
  });

  it("an abort by the caller's own signal still rejects with the signal's reason", async () => {
    const { provider } = setup({}, new SilentSource());
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pending = provider.callWithAccessKey('slow', () => Promise.resolve('never'), {
      signal: controller.signal,
    });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('background refresh after a failure', () => {
  it('retries a transient failure with capped backoff, a permanent one only minutes later', async () => {
    const source = new MemorySource();
    const { provider, scheduler } = setup({}, source);
    source.put('s', 'AK1', 'secret-1');
    provider.register('s');
    await provider.getAccessKey('s');
    const failed = recordEvents(provider, ['refresh-failed']);

    source.failures.push(new SecretNotFoundError('secret "s" not found', { secretName: 's' }));
    scheduler.advance(6 * 3600_000);
    await expect.poll(() => failed.length).toBe(1);
    // Not retried within the fetch, and the next attempt is min(refresh_secret_ttl, 5 min) away (random 0).
    expect(source.calls).toBe(2);
    expect(scheduler.nextDelayMs()).toBe(5 * 60_000);
    expect(failed[0]?.payload).toMatchObject({ nextAttemptAt: scheduler.now() + 5 * 60_000 });

    source.failures.push(...Array.from({ length: FAST_RETRY.attempts }, () => unavailable('s')));
    scheduler.advance(5 * 60_000);
    await expect.poll(() => failed.length).toBe(2);
    expect(scheduler.nextDelayMs()).toBeLessThanOrEqual(FAST_RETRY.maxDelayMs);
  });

  it('spreads the permanent-failure delay with jitter, never longer than the refresh period', async () => {
    const source = new MemorySource();
    const { provider, scheduler } = setup({ random: () => 0.5 }, source);
    source.put('s', 'AK1', 'secret-1');
    provider.register('s');
    await provider.getAccessKey('s');
    source.failures.push(new SecretNotFoundError('secret "s" not found', { secretName: 's' }));
    const failed = recordEvents(provider, ['refresh-failed']);
    scheduler.advance(scheduler.nextDelayMs() ?? 0);
    await expect.poll(() => failed.length).toBe(1);
    expect(scheduler.nextDelayMs()).toBe(0.75 * 5 * 60_000);
  });
});

describe('failed first fetches', () => {
  it('take a token per new fetch; with none left, fail fast with the last error and emit rate-limited', async () => {
    const source = new MemorySource();
    const { provider, scheduler } = setup({}, source);
    const limited = recordEvents(provider, ['rate-limited']);
    const first = await provider.getAccessKey('typo').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(SecretNotFoundError);
    expect(source.calls).toBe(1);

    let last: unknown = first;
    for (let i = 0; i < 5; i += 1) last = await provider.getAccessKey('typo').catch((e: unknown) => e);
    expect(source.calls).toBe(6);
    expect(limited).toEqual([]);

    // Bucket empty: no KMS call, the last typed error at once — for readers, clients and prefetches alike.
    await expect(provider.getAccessKey('typo')).rejects.toBe(last);
    await expect(provider.callWithAccessKey('typo', () => Promise.resolve(1))).rejects.toBe(last);
    provider.register('typo');
    await expect(provider.refreshSecret('typo')).rejects.toBe(last);
    expect(source.calls).toBe(6);
    expect(limited.length).toBeGreaterThanOrEqual(3);
    expect(limited[0]).toEqual({ event: 'rate-limited', payload: { secretName: 'typo' } });

    // A token comes back after 10 minutes; once the secret exists, the fetch succeeds.
    source.put('typo', 'AK1', 'secret-1');
    scheduler.advance(600_000);
    await expect(provider.getAccessKey('typo')).resolves.toMatchObject({ accessKeyId: 'AK1', generation: 1 });
    expect(source.calls).toBe(7);
  });

  it('concurrent readers after a failure still share one fetch (one token)', async () => {
    const source = new MemorySource();
    const { provider } = setup({ tokenBucket: { capacity: 1 } }, source);
    await expect(provider.getAccessKey('s')).rejects.toBeInstanceOf(SecretNotFoundError);
    source.put('s', 'AK1', 'secret-1');
    const keys = await Promise.all(Array.from({ length: 10 }, () => provider.getAccessKey('s')));
    expect(new Set(keys).size).toBe(1);
    expect(source.calls).toBe(2);
  });
});

describe('secrets nobody claims', () => {
  it('a read without register() leaves no timer; a read after the refresh is due refreshes it', async () => {
    const source = new MemorySource();
    const { provider, scheduler } = setup({}, source);
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    expect(scheduler.pending).toBe(0);

    source.put('s', 'AK2', 'secret-2');
    scheduler.advance(6 * 3600_000 - 1);
    await expect(provider.getAccessKey('s')).resolves.toMatchObject({ accessKeyId: 'AK1' });
    expect(source.calls).toBe(1);
    scheduler.advance(1);
    // Due now: the read starts the refresh (and is answered at once with the current key).
    const refreshed = new Promise((resolve) => provider.on('refreshed', resolve));
    expect(provider.currentAccessKey('s').accessKeyId).toBe('AK1');
    await expect(refreshed).resolves.toMatchObject({ reason: 'scheduled', generation: 2 });
    expect(provider.currentAccessKey('s').accessKeyId).toBe('AK2');
    expect(source.calls).toBe(2);
    expect(scheduler.pending).toBe(0);
  });

  it('a client released and still used re-creates an entry without a timer', async () => {
    const source = new MemorySource();
    const { provider, scheduler } = setup({}, source);
    source.put('s', 'AK1', 'secret-1');
    const registration = provider.register('s');
    await provider.getAccessKey('s');
    expect(scheduler.pending).toBe(1);
    registration.release();
    expect(scheduler.pending).toBe(0);
    await expect(provider.callWithAccessKey('s', (key) => Promise.resolve(key.accessKeyId))).resolves.toBe(
      'AK1',
    );
    expect(scheduler.pending).toBe(0);
    // Claiming it again arms the timer for the refresh already planned.
    provider.register('s');
    expect(scheduler.nextDelayMs()).toBe(6 * 3600_000);
  });

  it('secret_names are claimed by the provider: the last client closing keeps the prefetched key and its timer', async () => {
    const source = new MemorySource();
    source.put('pre', 'AK1', 'secret-1');
    const { provider, scheduler } = setup(
      {
        config: {
          regions: [],
          dedicatedGateways: [],
          refreshSecretTtlMs: 6 * 3600_000,
          rotationIntervalMs: 6 * 3600_000,
          delayIntervalMs: 5 * 60_000,
          secretNames: ['pre'],
          origin: { keys: {} },
        },
      },
      source,
    );
    await provider.ready();
    expect(scheduler.pending).toBe(1);
    const client = provider.register('pre');
    client.release();
    expect(scheduler.pending).toBe(1);
    expect(provider.currentAccessKey('pre')).toMatchObject({ accessKeyId: 'AK1', generation: 1 });
    source.put('pre', 'AK2', 'secret-2');
    scheduler.advance(6 * 3600_000);
    await expect.poll(() => provider.currentAccessKey('pre').generation).toBe(2);
    expect(source.calls).toBe(2);
  });
});
