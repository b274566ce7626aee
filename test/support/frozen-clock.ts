import type { Clock, Scheduler, TimerHandle } from 'managed-credentials';

/**
 * Wall and monotonic clocks that move only on `advance()`, and a scheduler
 * whose timers never fire: a provider's background refreshes stay idle, so a
 * test drives every fetch itself and moves time without sleeping.
 */
export class FrozenClock implements Clock, Scheduler {
  readonly #start = Date.now();
  #offset = 0;

  now(): number {
    return this.#start + this.#offset;
  }

  monotonic(): number {
    return this.#offset;
  }

  advance(ms: number): void {
    this.#offset += ms;
  }

  setTimeout(): TimerHandle {
    return undefined;
  }

  clearTimeout(): void {}
}
