/**
 * The benchmark's planted delay (call/bench-hook.ts, not public API): with the
 * global switch set, each callWithAccessKey costs at least that much CPU;
 * unset, nothing. Only a lower bound is asserted (a busy-wait cannot be shorter).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualProviders } from './helpers/manual-provider.js';

const SWITCH = Symbol.for('managed-credentials.bench.plantedDelayNs');
const setup = manualProviders();

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[SWITCH];
});

describe('the benchmark planted-delay switch', () => {
  it('makes every callWithAccessKey busy-wait the given nanoseconds', async () => {
    const { provider, source } = setup();
    source.put('s', 'id-1', 'secret-1');
    await provider.getAccessKey('s');
    (globalThis as Record<symbol, unknown>)[SWITCH] = 3_000_000;
    const start = process.hrtime.bigint();
    await provider.callWithAccessKey('s', async () => 'ok');
    expect(process.hrtime.bigint() - start).toBeGreaterThanOrEqual(3_000_000n);
  });
});
