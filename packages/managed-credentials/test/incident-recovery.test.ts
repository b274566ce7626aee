/**
 * Incident recovery (SPEC §5 as amended by issue 11), on the injected clock:
 * token semantics, known-bad key probing, propagation lag, hedged KMS
 * attempts, the KMS failure behind a rethrown rejection, retry sleeps on the
 * injected scheduler, one not-before time per secret, throttling, the fleet
 * spread after a rejection, and the `fleet_size` key.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  SecretFetchError,
  loadConfig,
  refreshFailureOf,
  type AccessKeySnapshot,
  type SecretInfo,
} from '../src/index.js';
import { recordEvents } from './helpers/kms-fixtures.js';
import { manualProviders } from './helpers/manual-provider.js';
import type { ManualScheduler } from './helpers/manual-scheduler.js';
import { MemorySource } from './helpers/memory-source.js';

const setup = manualProviders();
const flush = () => new Promise((resolve) => setImmediate(resolve));
const expired = () => Object.assign(new Error('expired'), { code: 'InvalidAccessKeyId.NotFound' });
const unavailable = () =>
  new SecretFetchError('KMS answered 503', { secretName: 's', retryable: true, httpStatus: 503 });
const throttled = () =>
  new SecretFetchError('throttled', { secretName: 's', retryable: true, kmsCode: 'Rejected.Throttling' });
/** A business call the cloud refuses while it gets one of the `refused` key ids. */
const refusing =
  (...refused: string[]) =>
  async (key: AccessKeySnapshot) => {
    if (refused.includes(key.accessKeyId)) throw expired();
    return key.accessKeyId;
  };
/** Backoff that the manual clock has to move through (random 0.5: half of each ceiling). */
const SLOW_RETRY = { initialDelayMs: 1_000, maxDelayMs: 8_000, attempts: 3 };

/** A KMS whose first `hang` requests never answer (until aborted); later ones answer at once. */
class HangingSource extends MemorySource {
  hang = 1;
  aborted = 0;

  override async getSecretValue(
    secretName: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<SecretInfo> {
    if (this.hang <= 0) return super.getSecretValue(secretName);
    this.hang -= 1;
    this.calls += 1;
    return new Promise((_resolve, reject) => {
      options.signal?.addEventListener('abort', () => {
        this.aborted += 1;
        reject(new Error('aborted'));
      });
    });
  }
}

/** A KMS that still serves `old` until `switchAt` (monotonic ms of `clock`) after a rotation: propagation lag. */
class LaggingSource extends MemorySource {
  clock: ManualScheduler | undefined;
  switchAt = Number.POSITIVE_INFINITY;
  readonly #old = new MemorySource();

  constructor() {
    super();
    this.#old.put('s', 'AK1', 'secret-1');
  }

  override async getSecretValue(secretName: string): Promise<SecretInfo> {
    if ((this.clock?.monotonic() ?? 0) < this.switchAt) {
      this.calls += 1;
      return this.#old.getSecretValue(secretName);
    }
    return super.getSecretValue(secretName);
  }
}

/** Makes one call a second for `seconds`, returning the outcomes (key id or 'failed'). */
async function callEverySecond(
  scheduler: ManualScheduler,
  call: () => Promise<string>,
  seconds: number,
): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < seconds; i += 1) {
    outcomes.push(await call().catch(() => 'failed'));
    scheduler.advance(1_000);
    await flush();
  }
  return outcomes;
}

describe('token semantics', () => {
  it('a fetch that brings back the rejected key spends a token; one that brings a new key does not', async () => {
    const { source, provider } = setup({ tokenBucket: { capacity: 1 } });
    source.put('s', 'AK1', 'secret-1');
    let key = await provider.getAccessKey('s');
    for (let i = 2; i <= 6; i += 1) {
      source.put('s', `AK${i}`, `secret-${i}`);
      key = await provider.refreshSecret('s', { rejectedGeneration: key.generation });
      expect(key.accessKeyId).toBe(`AK${i}`);
    }
    // The one token is still there: a rejection KMS answers with the same key spends it ...
    await provider.refreshSecret('s', { rejectedGeneration: key.generation });
    expect(source.calls).toBe(7);
    // ... and with the bucket empty, the next probe is a minute away (the cap).
    expect(provider.currentAccessKey('s').accessKeyId).toBe('AK6');
  });
});

describe('a key KMS keeps serving although it is rejected (known-bad)', () => {
  it('is probed at 2, 4, 8, 16, 32 s and then every 60 s while rejections go on, and degraded is emitted', async () => {
    const { source, provider, scheduler } = setup();
    const events = recordEvents(provider, ['degraded', 'refreshed']);
    const fetchedAt: number[] = [];
    provider.on('refreshed', () => fetchedAt.push(scheduler.monotonic()));
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    const start = scheduler.monotonic();
    const outcomes = await callEverySecond(
      scheduler,
      () => provider.callWithAccessKey('s', refusing('AK1')),
      300,
    );
    expect(outcomes.every((outcome) => outcome === 'failed')).toBe(true);
    const gaps = fetchedAt.slice(1).map((at, i) => at - (i === 0 ? start : (fetchedAt[i] ?? 0)));
    expect(gaps.slice(0, 8)).toEqual([0, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    // Steady state: one request a minute, not one per rejected call (300 calls).
    expect(source.calls).toBeLessThanOrEqual(1 + 10);
    expect(events.filter((e) => e.event === 'degraded')).toEqual([
      {
        event: 'degraded',
        payload: expect.objectContaining({ secretName: 's', generation: 1, reason: 'key-rejected' }),
      },
    ]);
  });

  it("an operator's fix is picked up within a minute, and calls succeed again", async () => {
    const { source, provider, scheduler } = setup();
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    await callEverySecond(scheduler, () => provider.callWithAccessKey('s', refusing('AK1')), 600);
    source.put('s', 'AK2', 'secret-2');
    const outcomes = await callEverySecond(
      scheduler,
      () => provider.callWithAccessKey('s', refusing('AK1')),
      90,
    );
    expect(outcomes.indexOf('AK2')).toBeGreaterThanOrEqual(0);
    expect(outcomes.indexOf('AK2')).toBeLessThanOrEqual(60);
    expect(outcomes.slice(outcomes.indexOf('AK2')).every((outcome) => outcome === 'AK2')).toBe(true);
  });

  it('rejections between probes fail fast with rate-limited and no KMS request; without rejections no probe runs', async () => {
    const { source, provider, scheduler } = setup();
    const limited = recordEvents(provider, ['rate-limited']);
    source.put('s', 'AK1', 'secret-1');
    const key = await provider.getAccessKey('s');
    await expect(provider.refreshSecret('s', { rejectedGeneration: key.generation })).resolves.toMatchObject({
      accessKeyId: 'AK1',
      generation: 1,
    });
    expect(source.calls).toBe(2);
    for (let i = 0; i < 10; i += 1) {
      const original = expired();
      await expect(provider.callWithAccessKey('s', () => Promise.reject(original))).rejects.toBe(original);
    }
    expect(source.calls).toBe(2);
    expect(limited).toHaveLength(10);
    // The refused rejections want a probe: it runs when due.
    scheduler.advance(2_000);
    await flush();
    expect(source.calls).toBe(3);
    // No rejection since: the next probe time passes without a request.
    scheduler.advance(10 * 60_000);
    await flush();
    expect(source.calls).toBe(3);
    // The next rejection finds the probe due and starts it.
    await provider.refreshSecret('s', { rejectedGeneration: key.generation });
    expect(source.calls).toBe(4);
  });
});

describe('propagation lag: KMS serves the old version for 5 s after a rotation', () => {
  it('is re-checked within seconds, not after a 30 s window', async () => {
    const source = new LaggingSource();
    const { provider, scheduler } = setup({}, source);
    source.clock = scheduler;
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    scheduler.advance(10_000);
    // Rotation at 10 s: AK1 revoked, KMS serves AK2 from 15 s on.
    source.put('s', 'AK2', 'secret-2');
    source.switchAt = scheduler.monotonic() + 5_000;
    const outcomes = await callEverySecond(
      scheduler,
      () => provider.callWithAccessKey('s', refusing('AK1')),
      30,
    );
    const firstSuccess = outcomes.indexOf('AK2');
    expect(firstSuccess).toBeGreaterThanOrEqual(5);
    expect(firstSuccess).toBeLessThanOrEqual(7);
    expect(outcomes.slice(firstSuccess).every((outcome) => outcome === 'AK2')).toBe(true);
  });
});

describe('hung KMS attempts', () => {
  it('a request silent past the hedging delay gets a second one; the first answer settles every waiter', async () => {
    const source = new HangingSource();
    const { provider, scheduler } = setup({ hedgeAfterMs: 2_000 }, source);
    source.put('s', 'AK1', 'secret-1');
    const waiters = Array.from({ length: 5 }, () => provider.getAccessKey('s'));
    await flush();
    expect(source.calls).toBe(1);
    scheduler.advance(1_999);
    await flush();
    expect(source.calls).toBe(1);
    scheduler.advance(1);
    const keys = await Promise.all(waiters);
    expect(new Set(keys.map((key) => key.accessKeyId))).toEqual(new Set(['AK1']));
    expect(source.calls).toBe(2);
    // The hung request is let go of.
    expect(source.aborted).toBe(1);
  });

  it('at most two requests of one attempt are out at once', async () => {
    const source = new HangingSource();
    source.hang = 10;
    const { provider, scheduler } = setup({ hedgeAfterMs: 2_000 }, source);
    source.put('s', 'AK1', 'secret-1');
    void provider.getAccessKey('s').catch(() => undefined);
    scheduler.advance(60_000);
    await flush();
    expect(source.calls).toBe(2);
  });
});

describe('a caller whose refresh failed', () => {
  it('gets the original error, untouched, and refreshFailureOf(error) is the KMS failure', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    const forbidden = new SecretFetchError('KMS refused', {
      secretName: 's',
      retryable: false,
      kmsCode: 'Forbidden.NoPermission',
    });
    source.failures.push(forbidden);
    const original = expired();
    const error = await provider
      .callWithAccessKey('s', () => Promise.reject(original))
      .catch((e: unknown) => e);
    expect(error).toBe(original);
    expect(Object.keys(original)).toEqual(['code']);
    expect(refreshFailureOf(error)).toBe(forbidden);
  });

  it('has no KMS failure to show when KMS answered with the same key', async () => {
    const { source, provider } = setup();
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    const error = await provider.callWithAccessKey('s', refusing('AK1')).catch((e: unknown) => e);
    expect(refreshFailureOf(error)).toBeUndefined();
    expect(refreshFailureOf('not an object')).toBeUndefined();
  });
});

describe('KMS retry sleeps run on the injected scheduler', () => {
  it('a retry waits for the manual clock: full jitter 500 ms, then 1 000 ms (random 0.5)', async () => {
    const { source, provider, scheduler } = setup({ random: () => 0.5, retry: SLOW_RETRY });
    source.put('s', 'AK1', 'secret-1');
    source.failures.push(unavailable(), unavailable());
    const key = provider.getAccessKey('s');
    await flush();
    expect(source.calls).toBe(1);
    expect(scheduler.nextDelayMs()).toBe(500);
    scheduler.advance(499);
    await flush();
    expect(source.calls).toBe(1);
    scheduler.advance(1);
    await flush();
    expect(source.calls).toBe(2);
    expect(scheduler.nextDelayMs()).toBe(1_000);
    scheduler.advance(1_000);
    await expect(key).resolves.toMatchObject({ accessKeyId: 'AK1' });
    expect(source.calls).toBe(3);
  });
});

describe('one not-before time per secret', () => {
  it('a new reader after a failed fetch waits for the backoff instead of asking KMS at once', async () => {
    const { source, provider, scheduler } = setup({
      random: () => 0.5,
      retry: { ...SLOW_RETRY, attempts: 1 },
    });
    source.put('s', 'AK1', 'secret-1');
    source.failures.push(unavailable());
    await expect(provider.getAccessKey('s')).rejects.toMatchObject({ retryable: true });
    const next = provider.getAccessKey('s');
    await flush();
    expect(source.calls).toBe(1);
    scheduler.advance(500);
    await expect(next).resolves.toMatchObject({ accessKeyId: 'AK1' });
    expect(source.calls).toBe(2);
  });

  it('the backoff grows across fetches during an outage (bounded request rate)', async () => {
    const { source, provider, scheduler } = setup({
      random: () => 0.5,
      retry: { initialDelayMs: 2_000, maxDelayMs: 10_000, attempts: 1 },
    });
    source.failures.push(...Array.from({ length: 100 }, unavailable));
    source.put('s', 'AK1', 'secret-1');
    // A reader every 100 ms for 60 s: KMS sees the backoff's pace (1, 2, 4, 5, 5 … s), not 600 requests.
    for (let i = 0; i < 600; i += 1) {
      void provider.getAccessKey('s').catch(() => undefined);
      scheduler.advance(100);
      await flush();
    }
    expect(source.calls).toBeLessThanOrEqual(14);
  });

  it('the background retry and a rejected call after a failed refresh wait for the same time: one request', async () => {
    const { source, provider, scheduler } = setup({
      random: () => 0.5,
      retry: { ...SLOW_RETRY, attempts: 1 },
    });
    const failed = recordEvents(provider, ['refresh-failed']);
    source.put('s', 'AK1', 'secret-1');
    provider.register('s');
    await provider.getAccessKey('s');
    source.put('s', 'AK2', 'secret-2');
    source.failures.push(unavailable());
    scheduler.advance(scheduler.nextDelayMs() ?? 0);
    await flush();
    expect(source.calls).toBe(2);
    const nextAttemptAt = (failed[0]?.payload as { nextAttemptAt: number }).nextAttemptAt;
    expect(nextAttemptAt - scheduler.now()).toBe(500);
    const call = provider.callWithAccessKey('s', refusing('AK1'));
    await flush();
    expect(source.calls).toBe(2);
    scheduler.advance(500);
    await expect(call).resolves.toBe('AK2');
    expect(source.calls).toBe(3);
  });

  it('rejections join a fetch that is backing off: one fetch for all of them', async () => {
    const { source, provider, scheduler } = setup({ random: () => 0.5, retry: SLOW_RETRY });
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    source.put('s', 'AK2', 'secret-2');
    source.failures.push(unavailable());
    const early = Array.from({ length: 5 }, () => provider.callWithAccessKey('s', refusing('AK1')));
    await flush();
    expect(source.calls).toBe(2);
    const late = Array.from({ length: 5 }, () => provider.callWithAccessKey('s', refusing('AK1')));
    await flush();
    expect(source.calls).toBe(2);
    scheduler.advance(500);
    await expect(Promise.all([...early, ...late])).resolves.toEqual(Array.from({ length: 10 }, () => 'AK2'));
    expect(source.calls).toBe(3);
  });
});

describe('throttling means "wait longer"', () => {
  it('a throttled fetch goes on past its attempts while within its deadline', async () => {
    const { source, provider } = setup({ retry: { initialDelayMs: 0, maxDelayMs: 0, attempts: 2 } });
    source.put('s', 'AK1', 'secret-1');
    source.failures.push(...Array.from({ length: 8 }, throttled));
    await expect(provider.getAccessKey('s')).resolves.toMatchObject({ accessKeyId: 'AK1' });
    expect(source.calls).toBe(9);
  });

  it('ends at the fetch deadline on the injected clock', async () => {
    const { source, provider, scheduler } = setup({
      random: () => 0.999,
      retry: { initialDelayMs: 10_000, maxDelayMs: 10_000, attempts: 2, fetchDeadlineMs: 30_000 },
    });
    source.put('s', 'AK1', 'secret-1');
    source.failures.push(...Array.from({ length: 20 }, throttled));
    const key = provider.getAccessKey('s').catch((e: unknown) => e);
    for (let i = 0; i < 8; i += 1) {
      scheduler.advance(10_000);
      await flush();
    }
    await expect(key).resolves.toMatchObject({ kmsCode: 'Rejected.Throttling' });
    // Attempts at 0, 9.99, 19.98 and 29.97 s (each backoff 9.99 s); the next would start past 30 s.
    expect(source.calls).toBe(4);
  });
});

describe('the fleet spread after a rejection', () => {
  it('with fleetSize 1 000 the first fetch after a fresh rejection starts at a random point of 2 s', async () => {
    const { source, provider, scheduler } = setup({ fleetSize: 1_000, random: () => 0.5 });
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    source.put('s', 'AK2', 'secret-2');
    const call = provider.callWithAccessKey('s', refusing('AK1'));
    await flush();
    expect(source.calls).toBe(1);
    scheduler.advance(999);
    await flush();
    expect(source.calls).toBe(1);
    scheduler.advance(1);
    await expect(call).resolves.toBe('AK2');
  });

  it('rejects a fleetSize that is not a non-negative number, naming the option', () => {
    expect(() => setup({ fleetSize: Number.NaN })).toThrow(/`fleetSize`/);
    expect(() => setup({ hedgeAfterMs: -1 })).toThrow(/`hedgeAfterMs`/);
  });
});

describe('the fleet_size key', () => {
  const base = {
    credentials_type: 'ak',
    credentials_access_key_id: 'LTAI-test',
    credentials_access_secret: 'test-secret',
    cache_client_region_id: '[{"regionId":"cn-hangzhou"}]',
  };

  it('defaults to 1 and reads a whole number', () => {
    expect(loadConfig({ object: base, env: {} }).fleetSize).toBe(1);
    expect(loadConfig({ object: { ...base, fleet_size: '2000' }, env: {} }).fleetSize).toBe(2_000);
  });

  it('rejects anything else with a ConfigError naming the key, without quoting the value', () => {
    const pasted = 'pasted-secret-value-1234';
    const error = (() => {
      try {
        loadConfig({ object: { ...base, fleet_size: pasted }, env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ key: 'fleet_size' });
    expect(String((error as Error).message)).not.toContain(pasted);
    expect(() => loadConfig({ object: { ...base, fleet_size: '0' }, env: {} })).toThrow(ConfigError);
  });
});
