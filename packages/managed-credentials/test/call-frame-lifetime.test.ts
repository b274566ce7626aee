import { AsyncResource } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedCredentialsProvider, NotReadyError, type AccessKeySnapshot } from '../src/index.js';
import { MemorySource } from './helpers/memory-source.js';

const providers: ManagedCredentialsProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

const rejectedKey = () => Object.assign(new Error('rejected'), { code: 'InvalidAccessKeyId.NotFound' });

describe('a call context left behind by a settled call', () => {
  it('a call started from a callback of a finished call uses the current key and retries on its own', async () => {
    const source = new MemorySource();
    const provider = new ManagedCredentialsProvider({ source, random: () => 0 });
    providers.push(provider);
    source.put('s', 'A', 'secret-a');
    let callback: (() => void) | undefined;
    let finish: (result: string) => void = () => undefined;
    const later = new Promise<string>((resolve) => (finish = resolve));
    await provider.callWithAccessKey('s', async () => {
      // A listener registered during the call (it inherits the call's async context), fired after it ended.
      callback = AsyncResource.bind(() => {
        const seenSync = (() => {
          try {
            return provider.currentAccessKey('s').accessKeyId;
          } catch (error) {
            return error instanceof NotReadyError ? 'not ready' : 'error';
          }
        })();
        provider
          .callWithAccessKey('s', async (key: AccessKeySnapshot) => {
            if (key.accessKeyId === 'A') throw rejectedKey();
            return `${seenSync} ${key.accessKeyId}`;
          })
          .then(finish, (error: unknown) => finish(`failed ${(error as { code?: string }).code}`));
      });
      return 'first';
    });
    source.put('s', 'B', 'secret-b');
    await provider.refreshSecret('s');
    callback?.();
    await expect(later).resolves.toBe('B B');
  });

  it('a nested call inside a call still in progress joins it', async () => {
    const source = new MemorySource();
    const provider = new ManagedCredentialsProvider({ source, random: () => 0 });
    providers.push(provider);
    source.put('s', 'A', 'secret-a');
    const inner = await provider.callWithAccessKey('s', async (outer) => {
      source.put('s', 'B', 'secret-b');
      await provider.refreshSecret('s');
      const nested = await provider.callWithAccessKey('s', async (key) => key.accessKeyId);
      return `${outer.accessKeyId} ${nested} ${provider.currentAccessKey('s').accessKeyId}`;
    });
    expect(inner).toBe('A A A');
  });
});
