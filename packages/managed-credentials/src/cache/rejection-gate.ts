import type { FetchPacer } from './fetch-pacer.js';
import type { TimerHandle } from './scheduler.js';
import type { EntryContext } from './entry-context.js';
import { TokenBucket } from './token-bucket.js';

/** The first probe after KMS brought back a rejected key; it doubles per confirmation up to {@link KNOWN_BAD_PROBE_MAX_MS}. */
export const KNOWN_BAD_PROBE_INITIAL_MS = 2_000;
/** The steady probe period of a key KMS keeps serving although it is rejected: an operator's fix is seen within it. */
export const KNOWN_BAD_PROBE_MAX_MS = 60_000;
/** Each probe comes up to this share of its period early, so a fleet spreads. */
const PROBE_JITTER = 0.25;

type GateContext = Pick<
  EntryContext,
  'clock' | 'random' | 'scheduler' | 'tokenBucket' | 'emit' | 'closed' | 'fleetSpreadMs'
>;

/**
 * Decides what a rejection of a secret's current key leads to, and bounds
 * the waste: a fetch that brings the rejected key back.
 *
 * - **Fresh rejection** (KMS has not brought this key back yet): one
 *   error-triggered fetch, its first attempt spread over the fleet window.
 *   Concurrent rejections join it; a fetch that started before the rejection
 *   (scheduled, manual) is joined and, if it brings back the rejected key (its
 *   answer may predate the rotation), followed by one error-triggered fetch.
 * - **Known-bad key** (an error-triggered fetch brought it back: propagation
 *   lag, or a key revoked while KMS still serves it): probes on a capped
 *   jittered backoff, 2 s doubling to 60 s, while rejections keep coming.
 *   A rejection before the next probe is due is refused at once
 *   (`rate-limited`, the caller rethrows its error) — so a refusal with
 *   another cause (a missing permission) fails fast — and one when it is due
 *   starts the probe.
 * - **Tokens** (5, one back per 10 min): spent only by a fetch that brought
 *   the rejected key back, and by a permanent failure of a fetch that retried
 *   one (a typo'd secret name). A fetch that brings a
 *   new key costs nothing, so rotation storms cannot empty the bucket. With
 *   the bucket empty, probes run at the 60 s cap and a new first fetch after
 *   a permanent failure is refused.
 */
export class RejectionGate {
  readonly #secretName: string;
  readonly #ctx: GateContext;
  readonly #pacer: FetchPacer;
  readonly #bucket: TokenBucket;
  readonly #onProbeDue: (generation: number) => void;
  #knownBad: { generation: number; confirmations: number } | undefined;
  /** A rejection was refused since the last probe: the next one should run. */
  #wanted = false;
  #probeTimer: TimerHandle | undefined;
  /** The generation whose rejection started the fetch in flight, if a rejection started it. */
  #flightFor: number | undefined;
  #disposed = false;

  constructor(
    secretName: string,
    ctx: GateContext,
    pacer: FetchPacer,
    onProbeDue: (generation: number) => void,
  ) {
    this.#secretName = secretName;
    this.#ctx = ctx;
    this.#pacer = pacer;
    this.#bucket = new TokenBucket({ ...ctx.tokenBucket, monotonic: () => ctx.clock.monotonic() });
    this.#onProbeDue = onProbeDue;
  }

  /** Tokens left in the bucket. */
  get tokens(): number {
    return this.#bucket.tokens;
  }

  /** The generation KMS brought back after it was rejected, while no other key has come. */
  get knownBadGeneration(): number | undefined {
    return this.#knownBad?.generation;
  }

  /** A fetch starts; `rejected`: the generation whose rejection started it. */
  flightStarted(rejected: number | undefined): void {
    this.#flightFor = rejected;
  }

  flightEnded(): void {
    this.#flightFor = undefined;
  }

  /**
   * Whether the fetch in flight started for a rejection of `generation` (join it, nothing more); otherwise it
   * started before the rejection, and bringing back the rejected key calls for one more fetch.
   */
  startedFor(generation: number): boolean {
    return this.#flightFor === generation;
  }

  /**
   * A rejection of the current key, `generation`, with no fetch in flight to
   * join. True: start an error-triggered fetch (a fresh rejection's is spread
   * over the fleet window). False: refused until the next probe of a
   * known-bad key (`rate-limited` is emitted; the probe will run).
   */
  admit(generation: number): boolean {
    if (this.#knownBad?.generation !== generation) {
      this.#pacer.spread(this.#ctx.fleetSpreadMs);
      return true;
    }
    if (this.#pacer.waitMs() <= 0) return true;
    this.#wanted = true;
    this.#ctx.emit('rate-limited', { secretName: this.#secretName });
    return false;
  }

  /**
   * An error-triggered fetch for `generation` brought that key back. Spends a
   * token and sets the next probe (the secret's not-before time). True when
   * this starts a known-bad episode (the entry reports `degraded`).
   */
  confirmed(generation: number): boolean {
    const hadToken = this.#bucket.tryTake();
    const previous = this.#knownBad;
    const confirmations = previous?.generation === generation ? previous.confirmations + 1 : 1;
    this.#knownBad = { generation, confirmations };
    const ceiling = hadToken
      ? Math.min(KNOWN_BAD_PROBE_MAX_MS, KNOWN_BAD_PROBE_INITIAL_MS * 2 ** (confirmations - 1))
      : KNOWN_BAD_PROBE_MAX_MS;
    this.#pacer.deferBy(Math.floor(ceiling * (1 - PROBE_JITTER * this.#ctx.random())));
    this.#wanted = false;
    this.#armProbe();
    return previous?.generation !== generation;
  }

  /** A fetch brought a key other than the known-bad one: that episode is over. */
  cleared(): void {
    this.#knownBad = undefined;
    this.#wanted = false;
    this.#clearProbe();
  }

  /** A fetch after a permanent failure failed for good too (not found, forbidden, malformed value): it spends a token. */
  permanentFailure(): void {
    this.#bucket.tryTake();
  }

  /** Whether a new first fetch after a permanent failure may start: a token is left. */
  hasToken(): boolean {
    return this.#bucket.tokens >= 1;
  }

  dispose(): void {
    this.#disposed = true;
    this.#clearProbe();
  }

  #armProbe(): void {
    this.#clearProbe();
    if (this.#disposed || this.#ctx.closed.aborted) return;
    this.#probeTimer = this.#ctx.scheduler.setTimeout(() => {
      this.#probeTimer = undefined;
      const knownBad = this.#knownBad;
      // Nobody was refused since the last probe: nothing to find out; the next rejection starts it.
      if (!knownBad || !this.#wanted) return;
      this.#wanted = false;
      this.#onProbeDue(knownBad.generation);
    }, this.#pacer.waitMs());
  }

  #clearProbe(): void {
    if (this.#probeTimer !== undefined) this.#ctx.scheduler.clearTimeout(this.#probeTimer);
    this.#probeTimer = undefined;
  }
}
