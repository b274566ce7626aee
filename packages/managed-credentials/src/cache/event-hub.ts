import type { ProviderEventListener, ProviderEventName, ProviderEvents } from '../events.js';

/**
 * Typed listeners of the provider's events. A listener that throws never
 * breaks the refresh that emitted the event: its error is reported as a
 * process warning (code `MC_LISTENER_FAILED`) and the other listeners still run.
 */
export class EventHub {
  readonly #listeners = new Map<ProviderEventName, Set<(payload: never) => void>>();

  on<E extends ProviderEventName>(event: E, listener: ProviderEventListener<E>): void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
  }

  off<E extends ProviderEventName>(event: E, listener: ProviderEventListener<E>): void {
    this.#listeners.get(event)?.delete(listener as (payload: never) => void);
  }

  emit<E extends ProviderEventName>(event: E, payload: ProviderEvents[E]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as ProviderEventListener<E>)(payload);
      } catch (error) {
        process.emitWarning(
          `A listener of the managed-credentials "${event}" event threw: ${error instanceof Error ? error.message : String(error)}`,
          { code: 'MC_LISTENER_FAILED' },
        );
      }
    }
  }
}
