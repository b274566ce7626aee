import { afterEach, describe, expect, it } from 'vitest';
import { ManagedCredentialsProvider, type AccessKeySnapshot, type SecretInfo } from '../src/index.js';
import { recordEvents } from './helpers/kms-fixtures.js';
import { ManualScheduler } from './helpers/manual-scheduler.js';
import { MemorySource } from './helpers/memory-source.js';

const providers: ManagedCredentialsProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

function setup<S extends MemorySource | SnapshotSource = MemorySource>(source: S = new MemorySource() as S) {
  const scheduler = new ManualScheduler(Date.UTC(2026, 0, 1));
  const provider = new ManagedCredentialsProvider({ source, scheduler, clock: scheduler, random: () => 0 });
  providers.push(provider);
  return { source, scheduler, provider };
}

const expired = () => Object.assign(new Error('expired'), { code: 'InvalidAccessKeyId.NotFound' });

/**
 * A KMS that reads the current version when the request arrives and, while held, answers later: a
 * fetch in flight across a rotation brings back the key from before it.
 */
class SnapshotSource {
  calls = 0;
  current = 'A';
  #held: Array<() => void> | undefined;

  hold(): void {
    this.#held = [];
  }

  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const answer of held) answer();
  }

  async getSecretValue(): Promise<SecretInfo> {
    this.calls += 1;
    const id = this.current;
    const held = this.#held;
    if (held) await new Promise<void>((resolve) => held.push(resolve));
    return {
      secretName: 's',
      secretData: JSON.stringify({ AccessKeyId: id, AccessKeySecret: `secret-${id}` }),
      secretDataType: 'text',
      versionId: `v${id}`,
      versionStages: ['ACSCurrent'],
    };
  }
}

/** A call that is refused with `expired()` while it gets one of the `refused` key ids. */
const refusing =
  (...refused: string[]) =>
  async (key: AccessKeySnapshot) => {
    if (refused.includes(key.accessKeyId)) throw expired();
    return key.accessKeyId;
  };

describe('rejections of a key KMS has just vouched for', () => {
  it('are answered with the current key at once until the next probe: callers get their own error', async () => {
    const { source, provider } = setup();
    const limited = recordEvents(provider, ['rate-limited']);
    source.put('s', 'AK1', 'secret-1');
    const key = await provider.getAccessKey('s');
    // The first rejection fetches and gets the same key back: the call rethrows its own error.
    const first = expired();
    await expect(provider.callWithAccessKey('s', () => Promise.reject(first))).rejects.toBe(first);
    expect(source.calls).toBe(2);
    for (let i = 0; i < 10; i += 1) {
      await expect(provider.refreshSecret('s', { rejectedGeneration: key.generation })).resolves.toBe(
        provider.currentAccessKey('s'),
      );
    }
    expect(source.calls).toBe(2);
    expect(limited).toHaveLength(10);
    expect(limited[0]).toEqual({ event: 'rate-limited', payload: { secretName: 's' } });
  });

  it('leave room for a real rotation: it is picked up at the next probe', async () => {
    const { source, provider, scheduler } = setup();
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    // Access-denied errors the judge takes for an expired key, every 5 s for 50 s: probes, not a fetch each.
    for (let i = 0; i < 10; i += 1) {
      await expect(provider.callWithAccessKey('s', refusing('AK1'))).rejects.toMatchObject({
        code: 'InvalidAccessKeyId.NotFound',
      });
      // Second by second, so a probe's answer arrives before its hedging delay is up.
      for (let s = 0; s < 5; s += 1) {
        scheduler.advance(1_000);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    // Fetches at 0, 5 and 10 s (each probe due), probes at 18 and 34 s: the cap is near.
    expect(source.calls).toBe(1 + 5);
    source.put('s', 'AK2', 'secret-2');
    scheduler.advance(60_000);
    await expect(provider.callWithAccessKey('s', refusing('AK1'))).resolves.toBe('AK2');
  });
});

describe('a rejection joining a fetch that started before it', () => {
  it('fetches once more when that fetch brings back the rejected key', async () => {
    const source = new SnapshotSource();
    const { provider } = setup(source);
    await provider.getAccessKey('s');
    source.hold();
    const scheduled = provider.refreshSecret('s');
    source.current = 'B';
    const call = provider.callWithAccessKey('s', refusing('A'));
    await new Promise((resolve) => setImmediate(resolve));
    source.release();
    await expect(scheduled).resolves.toMatchObject({ accessKeyId: 'A' });
    await expect(call).resolves.toBe('B');
    expect(source.calls).toBe(3);
  });

  it('concurrent rejections share the one extra fetch', async () => {
    const source = new SnapshotSource();
    const { provider } = setup(source);
    await provider.getAccessKey('s');
    source.hold();
    const scheduled = provider.refreshSecret('s');
    source.current = 'B';
    const calls = Array.from({ length: 5 }, () => provider.callWithAccessKey('s', refusing('A')));
    await new Promise((resolve) => setImmediate(resolve));
    source.release();
    await scheduled;
    await expect(Promise.all(calls)).resolves.toEqual(['B', 'B', 'B', 'B', 'B']);
    expect(source.calls).toBe(3);
  });

  it('a rejection joining a fetch another rejection of the same key started waits for it only', async () => {
    const source = new SnapshotSource();
    const { provider } = setup(source);
    const key = await provider.getAccessKey('s');
    source.hold();
    const first = provider.refreshSecret('s', { rejectedGeneration: key.generation });
    const second = provider.refreshSecret('s', { rejectedGeneration: key.generation });
    source.release();
    await expect(Promise.all([first, second])).resolves.toMatchObject([
      { accessKeyId: 'A' },
      { accessKeyId: 'A' },
    ]);
    expect(source.calls).toBe(2);
  });
});

describe('secrets nobody claims, read after their refresh was due', () => {
  it('refresh without a stale-served warning when nothing failed', async () => {
    const { source, provider, scheduler } = setup();
    const events = recordEvents(provider, ['stale-served', 'refreshed']);
    source.put('s', 'AK1', 'secret-1');
    await provider.getAccessKey('s');
    source.put('s', 'AK2', 'secret-2');
    scheduler.advance(7 * 3600_000);
    expect(provider.currentAccessKey('s').accessKeyId).toBe('AK1');
    await expect.poll(() => provider.currentAccessKey('s').accessKeyId).toBe('AK2');
    expect(events.map((e) => e.event)).toEqual(['refreshed', 'refreshed']);
  });
});
