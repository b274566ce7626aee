/**
 * Keeps the process alive while someone waits for KMS (SPEC §5, liveness).
 *
 * Background work — the scheduled refresh, a prefetch nobody awaits, backoff
 * sleeps, KMS sockets — is unref()ed so a finished program exits. A user call,
 * `ready()`, `getAccessKey()` or `refreshSecret()` that waits on such a fetch
 * must not be abandoned by the process exiting under it: while at least one
 * waiter is pending, one ref'd timer is held (created when the first waiter
 * arrives, cleared when the last one leaves). It never fires anything useful;
 * it only keeps the event loop running until every waiter has settled, which
 * its own budget and the fetch's bounded attempts guarantee.
 */
export class KeepAlive {
  readonly #startTimer: () => unknown;
  readonly #stopTimer: (handle: unknown) => void;
  #waiters = 0;
  #handle: unknown;

  constructor(
    startTimer: () => unknown = () => setInterval(noop, KEEP_ALIVE_INTERVAL_MS),
    stopTimer: (handle: unknown) => void = (handle) => clearInterval(handle as NodeJS.Timeout),
  ) {
    this.#startTimer = startTimer;
    this.#stopTimer = stopTimer;
  }

  /** Waiters currently holding the process open. */
  get waiters(): number {
    return this.#waiters;
  }

  /** Keeps the process alive until `waiting` settles; returns `waiting` itself. */
  holdUntilSettled<T>(waiting: Promise<T>): Promise<T> {
    if (this.#waiters++ === 0) this.#handle = this.#startTimer();
    waiting.then(this.#release, this.#release);
    return waiting;
  }

  readonly #release = (): void => {
    if (--this.#waiters === 0) {
      this.#stopTimer(this.#handle);
      this.#handle = undefined;
    }
  };
}

/** Long enough never to matter (it fires nothing useful), short enough to be a valid Node timer delay. */
const KEEP_ALIVE_INTERVAL_MS = 60 * 60_000;

function noop(): void {}

/** The one keep-alive of this process: liveness is a property of the process, not of a provider. */
export const processKeepAlive = new KeepAlive();
