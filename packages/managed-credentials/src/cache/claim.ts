/** What a {@link Claim} gives back to when it is released: the claim counts of the cache. */
export interface ClaimCounts {
  /** Drops one claim on `secretName`; the last one stops the secret's refresh timer. */
  drop(secretName: string): void;
}

/**
 * One claim on a secret (`SecretCache.retain`, `provider.register`): a small
 * object with `release()` on its prototype rather than a closure and its
 * context, as thousands of clients on one secret each hold one (issue 14:
 * heap per client).
 */
export class Claim {
  readonly secretName: string;
  /** Undefined once released: releasing is idempotent. */
  #counts: ClaimCounts | undefined;

  constructor(secretName: string, counts: ClaimCounts) {
    this.secretName = secretName;
    this.#counts = counts;
  }

  /** Releases the claim; idempotent. */
  release(): void {
    const counts = this.#counts;
    if (counts === undefined) return;
    this.#counts = undefined;
    counts.drop(this.secretName);
  }
}
