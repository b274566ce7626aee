/**
 * SPEC §7: `provider.register` claims; the last release stops the timer, and
 * releasing one claim twice (a client closed and later garbage-collected)
 * does not drop another client's claim.
 */
import { describe, expect, it } from 'vitest';
import { manualProviders } from './helpers/manual-provider.js';

const setup = manualProviders();

describe('claims on a secret', () => {
  it('a claim released twice counts once: the other client keeps the timer until it releases', async () => {
    const { provider, scheduler, source } = setup();
    source.put('s', 'AK1', 'secret-1');
    const first = provider.register('s');
    const second = provider.register('s');
    expect(first.secretName).toBe('s');
    await provider.getAccessKey('s');
    expect(scheduler.pending).toBe(1);
    first.release();
    first.release();
    expect(scheduler.pending).toBe(1);
    second.release();
    expect(scheduler.pending).toBe(0);
  });

  it('releasing after the provider closed does nothing', async () => {
    const { provider } = setup();
    const claim = provider.register('s');
    await provider.close();
    expect(() => claim.release()).not.toThrow();
  });
});
