import type { ExpiredKeyJudge } from '../expired-key.js';
import { monotonicNow } from '../monotonic.js';

/** A call's total time budget, measured from its start; the timeout signal is made on first need. */
export class CallBudget {
  readonly timeoutMs: number;
  readonly #deadline: number;
  readonly #callerSignal: AbortSignal | undefined;
  #signal: AbortSignal | undefined;

  /** @param startedAt when the call started (`monotonicNow()`): the budget counts from there. */
  constructor(timeoutMs: number, callerSignal: AbortSignal | undefined, startedAt: number) {
    this.timeoutMs = timeoutMs;
    this.#deadline = startedAt + timeoutMs;
    this.#callerSignal = callerSignal;
  }

  signal(): AbortSignal {
    if (!this.#signal) {
      const leftMs = Math.ceil(this.#deadline - monotonicNow());
      // Spent already (a slow first attempt): aborted now, not on a timer's next turn, so nothing starts.
      const timeout =
        leftMs > 0
          ? AbortSignal.timeout(leftMs)
          : AbortSignal.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      this.#signal = this.#callerSignal ? AbortSignal.any([this.#callerSignal, timeout]) : timeout;
    }
    return this.#signal;
  }

  /** Whether `error` is this budget running out (its own timeout, not an abort by the caller's signal). */
  ranOutWith(error: unknown): boolean {
    const signal = this.#signal;
    if (!signal?.aborted || error !== signal.reason) return false;
    return !(this.#callerSignal?.aborted && this.#callerSignal.reason === error);
  }
}

export function safeJudge(judge: ExpiredKeyJudge, error: unknown): boolean {
  try {
    return judge(error) === true;
  } catch {
    // A judge that fails cannot tell; the business error then passes through untouched.
    return false;
  }
}
