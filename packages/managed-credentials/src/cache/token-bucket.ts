/**
 * A token bucket on a monotonic clock: `capacity` tokens, one more every
 * `refillMs` up to the capacity. Bounds error-triggered KMS fetches per secret
 * (the reference clients: 5 tokens, one back per 10 minutes).
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #refillMs: number;
  readonly #monotonic: () => number;
  #tokens: number;
  #lastRefill: number;

  constructor(options: { capacity: number; refillMs: number; monotonic: () => number }) {
    this.#capacity = options.capacity;
    this.#refillMs = options.refillMs;
    this.#monotonic = options.monotonic;
    this.#tokens = options.capacity;
    this.#lastRefill = options.monotonic();
  }

  /** Takes one token if there is one. */
  tryTake(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  get tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  #refill(): void {
    const now = this.#monotonic();
    const earned = Math.floor((now - this.#lastRefill) / this.#refillMs);
    if (earned <= 0) return;
    this.#tokens = Math.min(this.#capacity, this.#tokens + earned);
    // Keep the remainder, so a token every refillMs is exact; a full bucket restarts the count.
    this.#lastRefill = this.#tokens === this.#capacity ? now : this.#lastRefill + earned * this.#refillMs;
  }
}
