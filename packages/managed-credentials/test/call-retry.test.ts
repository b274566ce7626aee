import { describe, expect, it } from 'vitest';
import {
  CallTimeoutError,
  withCallOptions,
  type AccessKeySnapshot,
  type SecretInfo,
  type SecretSource,
} from '../src/index.js';
import { recordEvents } from './helpers/kms-fixtures.js';
import { MemorySource } from './helpers/memory-source.js';
import { manualProviders } from './helpers/manual-provider.js';

const manualSetup = manualProviders();
const setup = (source: SecretSource = new MemorySource()) => manualSetup({}, source).provider;

/** What a tea client throws for an unknown key; a new object each time. */
function expiredKeyError(): Error & { code: string } {
  return Object.assign(new Error('Specified access key is not found.'), {
    code: 'InvalidAccessKeyId.NotFound',
  });
}

/** A KMS whose answers never come (until the provider closes). */
const silentSource: SecretSource = {
  getSecretValue: (_name: string, options: { signal?: AbortSignal } = {}) =>
    new Promise<SecretInfo>((_resolve, reject) => {
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    }),
};

describe('retry only when the key pair changed', () => {
  it('rethrows the original error when a refresh brings a new VersionId of the same AccessKey', async () => {
    const source = new MemorySource();
    const provider = setup(source);
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    // KMS has a new version holding the very same key pair.
    source.put('s', 'AK1', 'secret-1');
    const retried = recordEvents(provider, ['call-retried']);
    const original = expiredKeyError();
    const seen: AccessKeySnapshot[] = [];
    const pending = provider.callWithAccessKey('s', (key) => {
      seen.push(key);
      return Promise.reject(original);
    });
    await expect(pending).rejects.toBe(original);
    expect(seen).toHaveLength(1);
    expect(source.calls).toBe(2);
    expect(provider.currentAccessKey('s')).toMatchObject({ versionId: 'v2', accessKeyId: 'AK1' });
    expect(retried).toEqual([]);
  });
});

describe('a caller that gives up during the refresh', () => {
  it('rejects with the signal’s reason instead of retrying with the new key', async () => {
    const source = new MemorySource();
    const provider = setup(source);
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    source.put('s', 'AK2', 'secret-2');
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    // The refresh succeeds; the caller aborts just before the retry would be sent.
    provider.on('refreshed', () => controller.abort(reason));
    const seen: string[] = [];
    const pending = provider.callWithAccessKey(
      's',
      (key) => {
        seen.push(key.accessKeyId);
        return Promise.reject(expiredKeyError());
      },
      { signal: controller.signal },
    );
    await expect(pending).rejects.toBe(reason);
    expect(seen).toEqual(['AK1']);
    expect(provider.currentAccessKey('s').accessKeyId).toBe('AK2');
  });
});

describe('retries exhausted', () => {
  it('throws the first expired-key error object, not the last attempt’s', async () => {
    const source = new MemorySource();
    const provider = setup(source);
    let rotation = 0;
    source.put('s', 'AK0', 'secret-0');
    await provider.getAccessKey('s');
    const errors: Error[] = [];
    const pending = provider.callWithAccessKey(
      's',
      () => {
        // Every attempt is rejected and KMS has rotated again meanwhile.
        rotation += 1;
        source.put('s', `AK${rotation}`, `secret-${rotation}`);
        const error = expiredKeyError();
        errors.push(error);
        return Promise.reject(error);
      },
      { maxRetries: 2 },
    );
    const thrown = await pending.catch((e: unknown) => e);
    expect(errors).toHaveLength(3);
    expect(thrown).toBe(errors[0]);
  });

  it('a different error on a retry passes through as is', async () => {
    const source = new MemorySource();
    const provider = setup(source);
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    source.put('s', 'AK2', 'secret-2');
    const other = new Error('quota exceeded');
    const pending = provider.callWithAccessKey('s', (key) =>
      Promise.reject(key.accessKeyId === 'AK1' ? expiredKeyError() : other),
    );
    await expect(pending).rejects.toBe(other);
  });
});

describe('withCallOptions', () => {
  it('a scoped signal aborts the wait of calls made inside the scope, across awaits', async () => {
    const provider = setup(silentSource);
    const controller = new AbortController();
    const reason = new Error('request cancelled');
    const pending = withCallOptions({ signal: controller.signal }, async () => {
      await Promise.resolve();
      return provider.callWithAccessKey('s', () => Promise.resolve('never'));
    });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('a scoped timeoutMs sets the budget; an explicit CallOptions.timeoutMs wins over it', async () => {
    const provider = setup(silentSource);
    const scoped = await withCallOptions({ timeoutMs: 15 }, () =>
      provider.callWithAccessKey('s', () => Promise.resolve('never')),
    ).catch((e: unknown) => e);
    expect(scoped).toBeInstanceOf(CallTimeoutError);
    expect(scoped).toMatchObject({ timeoutMs: 15 });
    const explicit = await withCallOptions({ timeoutMs: 60_000 }, () =>
      provider.callWithAccessKey('s', () => Promise.resolve('never'), { timeoutMs: 25 }),
    ).catch((e: unknown) => e);
    expect(explicit).toMatchObject({ code: 'MC_TIMEOUT', timeoutMs: 25 });
  });

  it('honours both the scoped and the explicit signal, and nested scopes keep the outer signal', async () => {
    const provider = setup(silentSource);
    const outer = new AbortController();
    const explicit = new AbortController();
    const reason = new Error('outer scope cancelled');
    const pending = withCallOptions({ signal: outer.signal }, () =>
      withCallOptions({ timeoutMs: 60_000 }, () =>
        provider.callWithAccessKey('s', () => Promise.resolve('never'), { signal: explicit.signal }),
      ),
    );
    outer.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('returns what fn returns and leaves calls outside the scope alone', async () => {
    const source = new MemorySource();
    const provider = setup(source);
    source.put('s', 'AK1', 'secret-1');
    const controller = new AbortController();
    controller.abort(new Error('aborted scope'));
    expect(withCallOptions({ signal: controller.signal }, () => 42)).toBe(42);
    await expect(provider.callWithAccessKey('s', (key) => Promise.resolve(key.accessKeyId))).resolves.toBe(
      'AK1',
    );
  });
});
