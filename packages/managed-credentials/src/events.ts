import type { ManagedCredentialsError } from './errors.js';

/** Why a refresh ran. */
export type RefreshReason = 'scheduled' | 'expired-key' | 'manual' | 'prefetch' | 'first-use';

/**
 * Events a provider emits. Every payload is secret-free (no AccessKeySecret,
 * no password) and flat, so it maps onto OpenTelemetry counters/gauges with
 * the fields as attributes.
 */
export interface ProviderEvents {
  /** A new key (or a re-read of the same version) is now served. */
  refreshed: {
    secretName: string;
    versionId: string;
    generation: number;
    reason: RefreshReason;
    keyChanged: boolean;
  };
  /** A fetch from KMS failed; the last good key (if any) is still served. */
  'refresh-failed': {
    secretName: string;
    reason: RefreshReason;
    error: ManagedCredentialsError;
    consecutiveFailures: number;
    /** When the next background attempt is due (epoch ms), if one is scheduled. */
    nextAttemptAt?: number;
  };
  /**
   * A fetch was refused: a rejection of a key KMS has brought back, before its next probe is due (the
   * current key is served, the caller rethrows its error), or a new first fetch after permanent failures
   * emptied the per-secret token bucket (the reader gets the last fetch error at once).
   */
  'rate-limited': { secretName: string };
  /** A key older than its refresh time was handed out because refreshing failed. */
  'stale-served': { secretName: string; generation: number; ageMs: number };
  /**
   * No good key: refreshing has failed for longer than the degraded ceiling (`refresh-failing`; the last key
   * is still served), or KMS brought back the key the cloud had just rejected (`key-rejected`: it is probed
   * every 2–60 s while rejections go on; an operator's fix is picked up within a minute).
   */
  degraded: {
    secretName: string;
    generation: number;
    ageMs: number;
    failingForMs: number;
    reason: 'refresh-failing' | 'key-rejected';
  };
  /** A business call rejected for an expired key was retried with a newer key. */
  'call-retried': { secretName: string; fromGeneration: number; toGeneration: number; attempt: number };
  /** The provider was closed. */
  closed: Record<string, never>;
}

/** The name of a provider event: a key of {@link ProviderEvents}. */
export type ProviderEventName = keyof ProviderEvents;

/** A listener of event `E`; it receives that event's payload (see {@link ProviderEvents}). */
export type ProviderEventListener<E extends ProviderEventName> = (event: ProviderEvents[E]) => void;
