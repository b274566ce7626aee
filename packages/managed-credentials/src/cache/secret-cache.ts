import { setMaxListeners } from 'node:events';
import { ProviderClosedError } from '../errors.js';
import { Claim, type ClaimCounts } from './claim.js';
import type { EntryContext } from './entry-context.js';
import { SecretEntry } from './secret-entry.js';

/**
 * One {@link SecretEntry} per secret name, with reference counts for the
 * clients that claim a secret: a claimed entry keeps a refresh timer; when the
 * last claim is released, the timer stops and the entry is dropped. Entries
 * made by a read without a claim have no timer (they refresh when read).
 */
export class SecretCache implements ClaimCounts {
  readonly #ctx: EntryContext;
  readonly #entries = new Map<string, SecretEntry>();
  readonly #claims = new Map<string, number>();
  readonly #closeController = new AbortController();

  constructor(ctx: Omit<EntryContext, 'closed'>) {
    // Every caller waiting on a fetch listens for close (see waitFor); hundreds
    // of concurrent calls are normal, so the default limit of 10 would only warn.
    setMaxListeners(0, this.#closeController.signal);
    this.#ctx = { ...ctx, closed: this.#closeController.signal };
  }

  get closed(): boolean {
    return this.#ctx.closed.aborted;
  }

  get closedSignal(): AbortSignal {
    return this.#ctx.closed;
  }

  /** The entry of a secret, created on first use. */
  entry(secretName: string): SecretEntry {
    if (this.closed) throw new ProviderClosedError();
    let entry = this.#entries.get(secretName);
    if (!entry) {
      entry = new SecretEntry(secretName, this.#ctx);
      this.#entries.set(secretName, entry);
    }
    return entry;
  }

  /** The entry if it exists (no creation). */
  existing(secretName: string): SecretEntry | undefined {
    return this.#entries.get(secretName);
  }

  /** Claims a secret; the returned claim's `release()` releases it (idempotent). */
  retain(secretName: string): Claim {
    this.entry(secretName).claim();
    this.#claims.set(secretName, (this.#claims.get(secretName) ?? 0) + 1);
    return new Claim(secretName, this);
  }

  /** Drops one claim on `secretName` (a {@link Claim} calls it once); the last one disposes of its entry. */
  drop(secretName: string): void {
    if (this.closed) return;
    const left = (this.#claims.get(secretName) ?? 1) - 1;
    if (left > 0) {
      this.#claims.set(secretName, left);
      return;
    }
    this.#claims.delete(secretName);
    this.#entries.get(secretName)?.dispose();
    this.#entries.delete(secretName);
  }

  /** Names of every secret with an entry. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** Stops every timer, aborts in-flight fetches and waits; idempotent. */
  close(): void {
    if (this.closed) return;
    this.#closeController.abort(new ProviderClosedError());
    for (const entry of this.#entries.values()) entry.dispose();
    this.#entries.clear();
    this.#claims.clear();
  }
}
