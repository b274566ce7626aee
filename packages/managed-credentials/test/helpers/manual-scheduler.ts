import type { Clock, Scheduler, TimerHandle } from '../../src/index.js';

/**
 * A scheduler and clock that move only when a test says so: `advance(ms)`
 * moves both clocks and runs every timer that falls due, in order. No
 * sleeping, no real timers.
 */
export class ManualScheduler implements Scheduler, Clock {
  #wall: number;
  #mono = 0;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(startWallMs = Date.now()) {
    this.#wall = startWallMs;
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#mono;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#mono + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Delay until the next timer, or undefined. */
  nextDelayMs(): number | undefined {
    const next = Math.min(...[...this.#timers.values()].map((timer) => timer.at));
    return Number.isFinite(next) ? next - this.#mono : undefined;
  }

  /** Moves the clocks by `ms` and fires the timers that fall due on the way. */
  advance(ms: number): void {
    const target = this.#mono + ms;
    for (;;) {
      let dueId: number | undefined;
      let dueAt = Number.POSITIVE_INFINITY;
      for (const [id, timer] of this.#timers) {
        if (timer.at <= target && timer.at < dueAt) {
          dueId = id;
          dueAt = timer.at;
        }
      }
      if (dueId === undefined) break;
      const timer = this.#timers.get(dueId);
      this.#timers.delete(dueId);
      this.#moveTo(dueAt);
      timer?.callback();
    }
    this.#moveTo(target);
  }

  /** Moves the clocks by `ms` WITHOUT firing timers: a process frozen past its timers. */
  freeze(ms: number): void {
    this.#moveTo(this.#mono + ms);
  }

  #moveTo(mono: number): void {
    this.#wall += mono - this.#mono;
    this.#mono = mono;
  }
}
