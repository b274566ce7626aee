/** How far a request's timestamp may be from the server clock, as on the POP gateway. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** Nonces remembered at most (oldest forgotten first), so memory stays bounded. */
const MAX_REMEMBERED_NONCES = 50_000;

export interface FreshnessProblem {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/**
 * Rejects stale or future timestamps and replayed nonces — a signed request
 * captured once cannot be sent again. One instance per service.
 */
export class RequestFreshness {
  readonly #seen = new Map<string, number>();

  check(
    timestamp: string | undefined,
    nonce: string | undefined,
    now = Date.now(),
  ): FreshnessProblem | undefined {
    if (timestamp === undefined) {
      return {
        status: 400,
        code: 'MissingTimestamp',
        message:
          'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.',
      };
    }
    const at = Date.parse(timestamp);
    if (Number.isNaN(at)) {
      return {
        status: 400,
        code: 'InvalidTimeStamp.Format',
        message: 'Specified time stamp or date value is not well formatted.',
      };
    }
    if (Math.abs(now - at) > MAX_CLOCK_SKEW_MS) {
      return {
        status: 400,
        code: 'InvalidTimeStamp.Expired',
        message: 'Specified time stamp or date value is expired.',
      };
    }
    if (nonce === undefined || nonce === '') return undefined;
    this.#forgetOld(now);
    if (this.#seen.has(nonce)) {
      return {
        status: 400,
        code: 'SignatureNonceUsed',
        message: 'Specified signature nonce was used already.',
      };
    }
    this.#seen.set(nonce, now);
    return undefined;
  }

  #forgetOld(now: number): void {
    for (const [nonce, at] of this.#seen) {
      if (now - at <= MAX_CLOCK_SKEW_MS && this.#seen.size < MAX_REMEMBERED_NONCES) break;
      this.#seen.delete(nonce);
    }
  }
}
