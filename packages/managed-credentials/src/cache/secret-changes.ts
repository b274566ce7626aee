import type { SecretValueInfo } from '../secret/secret-value-info.js';

/** Told a secret's new version or value; see `ManagedCredentialsProvider.onSecretChange`. */
export type SecretChangeListener = (info: SecretValueInfo) => void;

/**
 * The change listeners of one provider, per secret name. A listener that
 * throws never breaks the refresh that told it: its error is reported as a
 * process warning (code `MC_LISTENER_FAILED`) and the other listeners still run.
 */
export class SecretChanges {
  readonly #listeners = new Map<string, Set<SecretChangeListener>>();

  /** Adds `listener` for `secretName`; the returned function removes it (idempotent). */
  add(secretName: string, listener: SecretChangeListener): () => void {
    let set = this.#listeners.get(secretName);
    if (!set) {
      set = new Set();
      this.#listeners.set(secretName, set);
    }
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const subscription: SecretChangeListener = (info) => listener(info);
    set.add(subscription);
    return () => {
      const current = this.#listeners.get(secretName);
      if (!current?.delete(subscription) || current.size > 0) return;
      this.#listeners.delete(secretName);
    };
  }

  notify(secretName: string, info: SecretValueInfo): void {
    const set = this.#listeners.get(secretName);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(info);
      } catch (error) {
        // The message is the listener's own; the value is not in it unless the listener put it there.
        process.emitWarning(
          `A managed-credentials change listener of secret "${secretName}" threw: ${error instanceof Error ? error.message : String(error)}`,
          { code: 'MC_LISTENER_FAILED' },
        );
      }
    }
  }

  /** Drops every listener (the provider was closed). */
  clear(): void {
    this.#listeners.clear();
  }
}
