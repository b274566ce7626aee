import type { ProviderEventName, ProviderEvents } from '../events.js';
import type { SecretSource } from '../kms/types.js';
import type { SecretValueInfo } from '../secret/secret-value-info.js';
import type { ResolvedRetryOptions } from './retry.js';
import type { Clock, Scheduler } from './scheduler.js';

/** What every entry of one provider shares. */
export interface EntryContext {
  source: SecretSource;
  policy: { refreshSecretTtlMs: number; rotationIntervalMs: number; delayIntervalMs: number };
  clock: Clock;
  random: () => number;
  scheduler: Scheduler;
  retry: ResolvedRetryOptions;
  degradedAfterMs: number;
  tokenBucket: { capacity: number; refillMs: number };
  /** A KMS request silent this long gets a hedge (a second request; the first answer wins). */
  hedgeAfterMs: number;
  /** The first fetch after a fresh rejection starts at a random point of this window (sized from the fleet). */
  fleetSpreadMs: number;
  emit: <E extends ProviderEventName>(event: E, payload: ProviderEvents[E]) => void;
  /** Aborted by the provider's close(). */
  closed: AbortSignal;
  /** Told after a fetch brought another version or value than the one held (not after the first fetch). */
  secretChanged?: (secretName: string, info: SecretValueInfo) => void;
}
