/**
 * Liveness and timer lifecycle (SPEC §5, §7): while someone waits on KMS the
 * process holds exactly one ref'd keep-alive, released when the last waiter
 * settles; close() leaves no refresh timer behind; the real scheduler sleeps
 * delays above Node's timer limit in steps instead of firing them at once.
 * (The child-process matrix in test/no-call-lost.e2e.test.ts checks the same
 * rule end to end.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeepAlive, processKeepAlive } from '../src/cache/keep-alive.js';
import { MAX_TIMER_DELAY_MS, systemScheduler } from '../src/cache/scheduler.js';
import { manualProviders } from './helpers/manual-provider.js';

const setup = manualProviders();

describe('KeepAlive', () => {
  it('holds one timer from the first waiter until the last one settles, whether it resolves or rejects', async () => {
    const started: number[] = [];
    const stopped: unknown[] = [];
    const keepAlive = new KeepAlive(
      () => started.push(started.length + 1),
      (handle) => stopped.push(handle),
    );
    let resolveFirst!: () => void;
    let rejectSecond!: (error: Error) => void;
    const first = keepAlive.holdUntilSettled(new Promise<void>((resolve) => (resolveFirst = resolve)));
    const second = keepAlive.holdUntilSettled(new Promise<void>((_, reject) => (rejectSecond = reject)));
    expect([started.length, keepAlive.waiters]).toEqual([1, 2]);
    resolveFirst();
    await first;
    expect([stopped.length, keepAlive.waiters]).toEqual([0, 1]);
    rejectSecond(new Error('KMS failed'));
    await expect(second).rejects.toThrow('KMS failed');
    expect([started.length, stopped, keepAlive.waiters]).toEqual([1, [1], 0]);
  });
});

describe('a caller waiting on KMS keeps the process alive until it settles', () => {
  it('getAccessKey, ready, refreshSecret and a first call each hold the keep-alive while they wait', async () => {
    const { provider, source } = setup();
    source.put('s', 'id-1', 'secret-1');
    source.hold();
    const waits = [
      provider.getAccessKey('s'),
      provider.ready(['s']),
      provider.callWithAccessKey('s', async (key) => key.accessKeyId),
    ];
    expect(processKeepAlive.waiters).toBe(3);
    source.release();
    await Promise.all(waits);
    expect(processKeepAlive.waiters).toBe(0);

    source.hold();
    const refreshing = provider.refreshSecret('s');
    expect(processKeepAlive.waiters).toBe(1);
    source.release();
    await refreshing;
    expect(processKeepAlive.waiters).toBe(0);
  });

  it('a read served from the cache and a background prefetch hold nothing', async () => {
    const { provider, source } = setup();
    source.put('s', 'id-1', 'secret-1');
    await provider.getAccessKey('s');
    source.hold();
    provider.register('other');
    expect(processKeepAlive.waiters).toBe(0);
    await provider.getAccessKey('s');
    expect(processKeepAlive.waiters).toBe(0);
    source.release();
  });

  it('close() settles every waiter, and with it the keep-alive', async () => {
    const { provider, source } = setup();
    source.put('s', 'id-1', 'secret-1');
    source.hold();
    const waiting = provider.getAccessKey('s');
    expect(processKeepAlive.waiters).toBe(1);
    await provider.close();
    await expect(waiting).rejects.toMatchObject({ code: 'MC_PROVIDER_CLOSED' });
    expect(processKeepAlive.waiters).toBe(0);
    source.release();
  });
});

describe('close() after a completed fetch', () => {
  it('leaves no refresh timer, and time passing makes no KMS fetch', async () => {
    const { provider, source, scheduler } = setup();
    source.put('s', 'id-1', 'secret-1');
    provider.register('s');
    await provider.getAccessKey('s');
    expect(scheduler.pending).toBe(1);
    const fetches = source.calls;
    await provider.close();
    expect(scheduler.pending).toBe(0);
    scheduler.advance(30 * 24 * 3600_000);
    expect(source.calls).toBe(fetches);
  });
});

describe('the real scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sleeps a 30-day delay (above 2^31 - 1 ms) in steps instead of firing it at once', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const thirtyDaysMs = 30 * 24 * 3600_000;
    systemScheduler.setTimeout(fired, thirtyDaysMs);
    vi.advanceTimersByTime(1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(thirtyDaysMs - MAX_TIMER_DELAY_MS - 2);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('clears a chained timer in any of its steps', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const handle = systemScheduler.setTimeout(fired, 2 * MAX_TIMER_DELAY_MS + 10);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 5);
    systemScheduler.clearTimeout(handle);
    vi.advanceTimersByTime(2 * MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
