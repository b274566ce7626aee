import type { AccessKeySnapshot } from '../access-key.js';
import type { ProviderEvents } from '../events.js';

/**
 * What the call loop needs from the cache, and nothing else: the call path
 * talks to this port, not back to `ManagedCredentialsProvider` (which builds
 * one per provider), so `call/` and `provider.ts` do not import each other.
 */
export interface KeyPort {
  /** Identifies the provider in call frames (nested calls join only calls of the same provider). */
  readonly owner: object;
  /**
   * The cached key, without waiting (undefined before the first fetch). `now` is `monotonicNow()` at
   * the call's start: a port on the system clock checks the key's age at that instant instead of reading
   * the clock again (one clock read per call).
   */
  cachedKey(secretName: string, now: number): AccessKeySnapshot | undefined;
  /** Waits for the first key (shared fetch); rejects with `signal`'s reason when it aborts. */
  waitForKey(secretName: string, signal: AbortSignal): Promise<AccessKeySnapshot>;
  /** Generation-aware refresh after `rejectedGeneration` was refused (single flight, token bucket). */
  refreshRejected(
    secretName: string,
    rejectedGeneration: number,
    signal: AbortSignal,
  ): Promise<AccessKeySnapshot>;
  /** The error of the latest failed KMS attempt, the cause a timeout reports. */
  lastAttemptError(secretName: string): unknown;
  /** Reports a retry with a newer key (`call-retried`). */
  callRetried(payload: ProviderEvents['call-retried']): void;
}
