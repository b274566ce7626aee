/**
 * The benchmark's planted delay (call/bench-hook.ts, not public API): with the
 * switch set, each callWithAccessKey costs at least that much CPU; unset,
 * nothing. Only a lower bound is asserted (a busy-wait cannot be shorter).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedCredentialsProvider } from '../src/index.js';
import { manualProviders } from './helpers/manual-provider.js';

/** Reached as the benchmark reaches it (bench/lib/worker.mjs). */
const setPlantedDelayNs = (ManagedCredentialsProvider as unknown as Record<symbol, (ns: number) => void>)[
  Symbol.for('managed-credentials.bench.setPlantedDelayNs')
] as (ns: number) => void;
const setup = manualProviders();

afterEach(() => setPlantedDelayNs(0));

describe('the benchmark planted-delay switch', () => {
  it('makes every callWithAccessKey busy-wait the given nanoseconds', async () => {
    const { provider, source } = setup();
    source.put('s', 'id-1', 'secret-1');
    await provider.getAccessKey('s');
    setPlantedDelayNs(3_000_000);
    const start = process.hrtime.bigint();
    await provider.callWithAccessKey('s', async () => 'ok');
    expect(process.hrtime.bigint() - start).toBeGreaterThanOrEqual(3_000_000n);
  });

  it('is not part of the public surface: no enumerable member, nothing in the types', () => {
    expect(Object.keys(ManagedCredentialsProvider)).toEqual([]);
    expect(typeof setPlantedDelayNs).toBe('function');
  });
});
