import { AccessKeySnapshot, type ManagedCredentialsProvider } from 'managed-credentials';
import type { AccessKeyPair, FakeCloud } from 'managed-credentials-fake-cloud';
import { ProxyROAClient, ProxyRPCClient } from 'managed-credentials-pop-core';

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

/**
 * Sends RPC GET/POST and ROA `get`/`request` through clients on a
 * {@link handingProvider} (handed: the secret's real key; cached: one the
 * cloud does not know) and returns `[accessKeyId, outcome]` of the four
 * requests as the cloud saw them. Shared by the suites on pop-core's latest
 * and lowest supported release.
 */
export async function signaturesOfHandedCalls(
  cloud: FakeCloud,
  secretName: string,
): Promise<{ handedKeyId: string; signedWith: [string | undefined, string][] }> {
  const handed = cloud.currentAccessKey(secretName)!;
  const provider = handingProvider(handed, {
    accessKeyId: 'LTAIunknowntothecloud',
    accessKeySecret: 'never-used-1',
  });
  const ecs = new ProxyRPCClient({ endpoint: cloud.ecs.endpoint, apiVersion: '2014-05-26' }, 's', {
    provider,
  });
  const cs = new ProxyROAClient({ endpoint: cloud.cs.endpoint, apiVersion: '2015-12-15' }, 's', {
    provider,
  });
  await Promise.all([
    ecs.request('DescribeRegions', {}),
    ecs.request('DescribeRegions', {}, { method: 'POST' }),
    cs.get('/clusters'),
    cs.request('GET', '/clusters', {}, '', {}, {}),
  ]);
  const signedWith = cloud.counters
    .list()
    .slice(-4)
    .map((record): [string | undefined, string] => [record.accessKeyId, record.outcome]);
  return { handedKeyId: handed.accessKeyId, signedWith };
}
