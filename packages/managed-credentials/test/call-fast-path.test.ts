/**
 * SPEC §6 on the hot path of `callWithAccessKey` (`call/call-with-key.ts`): a
 * call with `trackCallContext: false`, a cached key and no enclosing call or
 * `withCallOptions` scope starts its attempt at once and only hangs a
 * rejection handler on it. The expired-key policy behind that handler is the
 * same as on the full path: generation-aware refresh and retry, other errors
 * passed through as the same object, budget and signal honoured. The tests
 * that need the async context never entered come first (the storage's
 * "entered" flag is per process).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it, vi } from 'vitest';
import { CallTimeoutError, withCallOptions, type AccessKeySnapshot } from '../src/index.js';
import { recordEvents } from './helpers/kms-fixtures.js';
import { manualProviders } from './helpers/manual-provider.js';

const setup = manualProviders();
const UNTRACKED = { trackCallContext: false } as const;

function expiredKeyError(): Error & { code: string } {
  return Object.assign(new Error('Specified access key is not found.'), {
    code: 'InvalidAccessKeyId.NotFound',
  });
}

/** A provider whose key `AK1` is cached, so calls take the hot path. */
async function warmProvider() {
  const { provider, source } = setup();
  source.put('s', 'AK1', 'secret-1');
  await provider.getAccessKey('s');
  return { provider, source };
}

/** A call that the "cloud" accepts only with the key `accepted`. */
function acceptOnly(accepted: string, seen: string[]) {
  return (key: AccessKeySnapshot): Promise<string> => {
    seen.push(key.accessKeyId);
    return key.accessKeyId === accepted
      ? Promise.resolve(`ok ${key.accessKeyId}`)
      : Promise.reject(expiredKeyError());
  };
}

describe('the hot path (no call frame, a cached key, no scope)', () => {
  it('asks no async-context storage while no scope or frame was ever entered, and reads the clock once', async () => {
    const { provider } = await warmProvider();
    const now = vi.spyOn(performance, 'now');
    const getStore = vi.spyOn(AsyncLocalStorage.prototype, 'getStore');
    try {
      await expect(
        provider.callWithAccessKey('s', (key) => Promise.resolve(key.accessKeyId), UNTRACKED),
      ).resolves.toBe('AK1');
      // Where the call's budget counts from.
      expect(now).toHaveBeenCalledTimes(1);
      expect(getStore).not.toHaveBeenCalled();
    } finally {
      now.mockRestore();
      getStore.mockRestore();
    }
  });

  it('refreshes and retries with the new key after an expired-key rejection', async () => {
    const { provider, source } = await warmProvider();
    source.put('s', 'AK2', 'secret-2');
    const retried = recordEvents(provider, ['call-retried']);
    const seen: string[] = [];
    await expect(provider.callWithAccessKey('s', acceptOnly('AK2', seen), UNTRACKED)).resolves.toBe('ok AK2');
    expect(seen).toEqual(['AK1', 'AK2']);
    expect(source.calls).toBe(2);
    expect(retried).toEqual([
      { event: 'call-retried', payload: { secretName: 's', fromGeneration: 1, toGeneration: 2, attempt: 1 } },
    ]);
  });

  it('passes any other error through as the same object, with its stack, without a refresh', async () => {
    const { provider, source } = await warmProvider();
    const original = Object.assign(new Error('denied'), { code: 'Forbidden.RAM' });
    const stack = original.stack;
    const error = await provider
      .callWithAccessKey('s', () => Promise.reject(original), UNTRACKED)
      .catch((e: unknown) => e);
    expect(error).toBe(original);
    expect((error as Error).stack).toBe(stack);
    expect(source.calls).toBe(1);
  });

  it('turns a callback that throws at once into a rejected call, as an async function would', async () => {
    const { provider } = await warmProvider();
    const original = new Error('thrown synchronously');
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = provider.callWithAccessKey(
        's',
        () => {
          throw original;
        },
        UNTRACKED,
      );
    }).not.toThrow();
    await expect(pending).rejects.toBe(original);
  });

  it('rethrows the original error when the refresh brings the same key pair (no retry)', async () => {
    const { provider, source } = await warmProvider();
    source.put('s', 'AK1', 'secret-1');
    const original = expiredKeyError();
    let attempts = 0;
    const pending = provider.callWithAccessKey(
      's',
      () => {
        attempts += 1;
        return Promise.reject(original);
      },
      UNTRACKED,
    );
    await expect(pending).rejects.toBe(original);
    expect(attempts).toBe(1);
    expect(source.calls).toBe(2);
  });

  it('honours the budget: KMS silent → the original error', async () => {
    const { provider, source } = await warmProvider();
    source.hold();
    const original = expiredKeyError();
    const pending = provider.callWithAccessKey('s', () => Promise.reject(original), {
      ...UNTRACKED,
      timeoutMs: 20,
    });
    await expect(pending).rejects.toBe(original);
    source.release();
  });

  it('counts the budget from the call’s start: a first attempt that used it up is not retried', async () => {
    const { provider, source } = await warmProvider();
    source.put('s', 'AK2', 'secret-2');
    const seen: string[] = [];
    const original = expiredKeyError();
    const pending = provider.callWithAccessKey(
      's',
      (key) => {
        seen.push(key.accessKeyId);
        // The cloud answers after the whole budget has passed (real time: CallBudget reads performance.now()).
        return new Promise((_, reject) => setTimeout(() => reject(original), 40));
      },
      { ...UNTRACKED, timeoutMs: 20 },
    );
    await expect(pending).rejects.toBe(original);
    expect(seen).toEqual(['AK1']);
  });

  it('honours the caller’s signal while it waits for the refresh', async () => {
    const { provider, source } = await warmProvider();
    source.hold();
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const pending = provider.callWithAccessKey(
      's',
      () => {
        setImmediate(() => controller.abort(reason));
        return Promise.reject(expiredKeyError());
      },
      { ...UNTRACKED, signal: controller.signal },
    );
    await expect(pending).rejects.toBe(reason);
    source.release();
  });

  it('a call with no key yet still waits for the first fetch within its budget', async () => {
    const { provider, source } = setup();
    source.put('s', 'AK1', 'secret-1');
    source.hold();
    const error = await provider
      .callWithAccessKey('s', () => Promise.resolve('never'), { ...UNTRACKED, timeoutMs: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    source.release();
  });
});

describe('once withCallOptions was used in the process', () => {
  it('a call inside a scope takes the scope’s signal; one outside it still goes the hot way', async () => {
    const { provider, source } = await warmProvider();
    source.hold();
    const controller = new AbortController();
    const reason = new Error('scope cancelled');
    const inScope = withCallOptions({ signal: controller.signal }, () =>
      provider.callWithAccessKey('s', () => Promise.reject(expiredKeyError()), UNTRACKED),
    );
    setImmediate(() => controller.abort(reason));
    await expect(inScope).rejects.toBe(reason);
    source.release();
    await expect(
      provider.callWithAccessKey('s', (key) => Promise.resolve(key.accessKeyId), UNTRACKED),
    ).resolves.toBe('AK1');
  });

  it('a framed call still gives a nested untracked call its own key', async () => {
    const { provider, source } = await warmProvider();
    const inner = await provider.callWithAccessKey('s', async (outer) => {
      source.put('s', 'AK2', 'secret-2');
      await provider.refreshSecret('s');
      return provider.callWithAccessKey(
        's',
        async (key) => `${outer.accessKeyId} ${key.accessKeyId}`,
        UNTRACKED,
      );
    });
    expect(inner).toBe('AK1 AK1');
  });
});
