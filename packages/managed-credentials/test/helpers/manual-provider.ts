import { afterEach } from 'vitest';
import { ManagedCredentialsProvider, type ProviderOptions, type SecretSource } from '../../src/index.js';
import { FAST_RETRY } from './kms-fixtures.js';
import { ManualScheduler } from './manual-scheduler.js';
import { MemorySource } from './memory-source.js';

/**
 * For a test file: returns `setup(options?, source?)`, which builds a provider
 * on an in-memory KMS (or the given source), a manual clock/scheduler that only
 * moves when told, no jitter and near-zero backoff. Every provider it built is
 * closed after each test.
 */
export function manualProviders() {
  const providers: ManagedCredentialsProvider[] = [];
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close()));
  });
  return function setup<S extends SecretSource = MemorySource>(
    options: Partial<ProviderOptions> = {},
    source: S = new MemorySource() as unknown as S,
  ) {
    const scheduler = new ManualScheduler(Date.UTC(2026, 0, 1));
    const provider = new ManagedCredentialsProvider({
      source,
      scheduler,
      clock: scheduler,
      random: () => 0,
      retry: FAST_RETRY,
      ...options,
    });
    providers.push(provider);
    return { source, scheduler, provider };
  };
}
