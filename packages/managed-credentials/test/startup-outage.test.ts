import { describe, expect, it } from 'vitest';
import { SecretFetchError, SecretNotFoundError } from '../src/index.js';
import { recordEvents } from './helpers/kms-fixtures.js';
import { manualProviders } from './helpers/manual-provider.js';

const refused = (name: string) =>
  new SecretFetchError(`connect ECONNREFUSED for ${name}`, { secretName: name, retryable: true });

const manualSetup = manualProviders();
const setup = () => manualSetup({ retry: { initialDelayMs: 0, maxDelayMs: 0, attempts: 1 } });

describe('first fetches during an outage at startup', () => {
  it('transient failures cost no token: the first read after recovery fetches', async () => {
    const { source, provider } = setup();
    const limited = recordEvents(provider, ['rate-limited']);
    source.put('s', 'AK1', 'secret-1');
    source.failures.push(...Array.from({ length: 7 }, () => refused('s')));
    provider.register('s');
    for (let i = 0; i < 7; i += 1) {
      await expect(provider.getAccessKey('s')).rejects.toMatchObject({ retryable: true });
    }
    // Every read started its own fetch: none was refused for want of a token.
    expect(source.calls).toBe(7);
    expect(limited).toEqual([]);
    await expect(provider.getAccessKey('s')).resolves.toMatchObject({ accessKeyId: 'AK1', generation: 1 });
    expect(source.calls).toBe(8);
  });

  it('permanent failures still draw on the bucket', async () => {
    const { source, provider } = setup();
    const limited = recordEvents(provider, ['rate-limited']);
    for (let i = 0; i < 6; i += 1) {
      await expect(provider.getAccessKey('typo')).rejects.toBeInstanceOf(SecretNotFoundError);
    }
    expect(source.calls).toBe(6);
    await expect(provider.getAccessKey('typo')).rejects.toBeInstanceOf(SecretNotFoundError);
    expect(source.calls).toBe(6);
    expect(limited).toEqual([{ event: 'rate-limited', payload: { secretName: 'typo' } }]);
  });
});
