import type { ExpiredKeyJudge } from '../expired-key.js';

/** A call's total time budget, measured from its start; the timeout signal is made on first need. */
export class CallBudget {
  readonly #deadline: number;
  readonly #callerSignal: AbortSignal | undefined;
  #signal: AbortSignal | undefined;

  constructor(timeoutMs: number, callerSignal: AbortSignal | undefined) {
    this.#deadline = performance.now() + timeoutMs;
    this.#callerSignal = callerSignal;
  }

  signal(): AbortSignal {
    if (!this.#signal) {
      const timeout = AbortSignal.timeout(Math.max(0, Math.ceil(this.#deadline - performance.now())));
      this.#signal = this.#callerSignal ? AbortSignal.any([this.#callerSignal, timeout]) : timeout;
    }
    return this.#signal;
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
