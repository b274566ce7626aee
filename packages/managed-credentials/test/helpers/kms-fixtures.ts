import type { FakeCloud } from 'managed-credentials-fake-cloud';
import type {
  KmsAuthConfig,
  ManagedCredentialsConfig,
  ManagedCredentialsProvider,
  ProviderEventName,
  ProviderEvents,
} from '../../src/index.js';

/** A validated config pointing at fake-cloud's KMS (plain HTTP), authenticated with a fresh KMS AccessKey. */
export function fakeCloudConfig(
  cloud: FakeCloud,
  overrides: Partial<ManagedCredentialsConfig> & { auth?: KmsAuthConfig } = {},
): ManagedCredentialsConfig {
  const caller = cloud.createKmsAccessKey();
  return {
    auth: { type: 'ak', accessKeyId: caller.accessKeyId, accessKeySecret: caller.accessKeySecret },
    regions: [{ regionId: 'cn-hangzhou', endpoint: cloud.kms.endpoint, vpc: false }],
    dedicatedGateways: [],
    refreshSecretTtlMs: 6 * 3600_000,
    rotationIntervalMs: 6 * 3600_000,
    delayIntervalMs: 5 * 60_000,
    secretNames: [],
    origin: { keys: {} },
    ...overrides,
  };
}

/** Test backoff: tiny delays, so retries need no real waiting. */
export const FAST_RETRY = { initialDelayMs: 1, maxDelayMs: 5, attempts: 4 } as const;

/** Counts GetSecretValue requests for one secret seen by fake-cloud's KMS. */
export function kmsCalls(cloud: FakeCloud, secretName: string): number {
  return cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName });
}

/** Resolves with the next `event` the provider emits that matches `filter`. */
export function nextEvent<E extends ProviderEventName>(
  provider: ManagedCredentialsProvider,
  event: E,
  filter: (payload: ProviderEvents[E]) => boolean = () => true,
): Promise<ProviderEvents[E]> {
  return new Promise((resolve) => {
    const listener = (payload: ProviderEvents[E]) => {
      if (!filter(payload)) return;
      provider.off(event, listener);
      resolve(payload);
    };
    provider.on(event, listener);
  });
}

/** Every payload of the given events, in order. */
export function recordEvents(
  provider: ManagedCredentialsProvider,
  events: readonly ProviderEventName[],
): Array<{ event: ProviderEventName; payload: unknown }> {
  const log: Array<{ event: ProviderEventName; payload: unknown }> = [];
  for (const event of events) provider.on(event, (payload) => log.push({ event, payload }));
  return log;
}
