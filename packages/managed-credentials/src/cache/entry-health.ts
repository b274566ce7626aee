import type { EntryContext } from './entry-context.js';

/** A timer this late (frozen process, suspended laptop) is not waited for: the next read refreshes. */
const LATE_TIMER_GRACE_MS = 1_000;

/** What the warnings report of the value served: its generation (an AccessKey's, or a secret's of any type). */
type Served = { readonly generation: number };

/**
 * The failure streak of one secret since its last successful fetch, and the
 * two warnings it leads to, each reported once: `stale-served` when a key is
 * read after its refresh was due, `degraded` when refreshing has failed for
 * longer than `degradedAfterMs`. Serving the last good key goes on either way;
 * these events are how an operator learns that it is getting old.
 */
export class EntryHealth {
  readonly #secretName: string;
  readonly #ctx: Pick<EntryContext, 'clock' | 'degradedAfterMs' | 'emit'>;
  #failures = 0;
  #fetchedMono = 0;
  #refreshDueMono = Number.POSITIVE_INFINITY;
  #failingSinceMono: number | undefined;
  #staleReported = false;
  #degradedReported = false;

  constructor(secretName: string, ctx: Pick<EntryContext, 'clock' | 'degradedAfterMs' | 'emit'>) {
    this.#secretName = secretName;
    this.#ctx = ctx;
  }

  /** Consecutive failed fetches since the last success. */
  get failures(): number {
    return this.#failures;
  }

  /** A fetch succeeded just now; the next refresh is due in `refreshInMs`. */
  succeeded(refreshInMs: number): void {
    this.#fetchedMono = this.#ctx.clock.monotonic();
    this.#refreshDueMono = this.#fetchedMono + refreshInMs;
    this.#failures = 0;
    this.#failingSinceMono = undefined;
    this.#staleReported = false;
    this.#degradedReported = false;
  }

  /** A fetch failed just now. */
  failed(): void {
    this.#failures += 1;
    this.#failingSinceMono ??= this.#ctx.clock.monotonic();
    this.#staleReported = false;
  }

  /** From when (monotonic) {@link checkStale} has something to report: until then it returns false. */
  get staleFrom(): number {
    return this.#refreshDueMono + (this.#failures === 0 ? LATE_TIMER_GRACE_MS : 0);
  }

  /**
   * `snapshot` is read at `now` (monotonic): reports it once its refresh is
   * overdue. True when the refresh is overdue without a failure (its timer
   * fired late, or there is none): the caller then starts it.
   */
  checkStale(snapshot: Served, now: number): boolean {
    const overdueMs = now - this.#refreshDueMono;
    // A refresh that just started on time is not staleness; a failed one, or a timer that fired late, is.
    if (overdueMs < 0 || (this.#failures === 0 && overdueMs <= LATE_TIMER_GRACE_MS)) return false;
    if (!this.#staleReported) {
      this.#staleReported = true;
      this.#ctx.emit('stale-served', {
        secretName: this.#secretName,
        generation: snapshot.generation,
        ageMs: now - this.#fetchedMono,
      });
    }
    this.checkDegraded(snapshot);
    return this.#failures === 0;
  }

  /** Reports `degraded` once refreshing has failed for `degradedAfterMs` while `snapshot` is served. */
  checkDegraded(snapshot: Served | undefined): void {
    if (!snapshot || this.#failingSinceMono === undefined || this.#degradedReported) return;
    const now = this.#ctx.clock.monotonic();
    const failingForMs = now - this.#failingSinceMono;
    if (failingForMs < this.#ctx.degradedAfterMs) return;
    this.#degradedReported = true;
    this.#ctx.emit('degraded', {
      secretName: this.#secretName,
      generation: snapshot.generation,
      ageMs: now - this.#fetchedMono,
      failingForMs,
      reason: 'refresh-failing',
    });
  }
}
