import { AccessKeySnapshot, type ManagedCredentialsProvider } from 'managed-credentials';
import type { AccessKeyPair } from 'managed-credentials-fake-cloud';

const snapshot = (pair: AccessKeyPair, generation: number): AccessKeySnapshot =>
  new AccessKeySnapshot({
    secretName: 'handed',
    ...pair,
    generation,
    fetchedAt: 0,
    versionId: `v${generation}`,
  });

/**
 * A provider stand-in whose `callWithAccessKey` hands each call `handed`,
 * while its cache (`currentAccessKey`, `getAccessKey`) holds `cached`. A
 * request signed with anything but the key its call was handed uses `cached`
 * — a key the cloud does not know — and fails. Only the adapter's plumbing is
 * under test here; pop-core and the fake cloud are real.
 */
export function handingProvider(handed: AccessKeyPair, cached: AccessKeyPair): ManagedCredentialsProvider {
  const handedKey = snapshot(handed, 2);
  const cachedKey = snapshot(cached, 1);
  const stand: Pick<
    ManagedCredentialsProvider,
    'callWithAccessKey' | 'currentAccessKey' | 'getAccessKey' | 'register'
  > = {
    callWithAccessKey: (_secretName, call) => call(handedKey),
    currentAccessKey: () => cachedKey,
    getAccessKey: async () => cachedKey,
    register: (secretName) => ({ secretName, release: () => undefined }),
  };
  return stand as ManagedCredentialsProvider;
}
