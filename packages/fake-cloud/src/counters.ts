import type { ServiceName } from './types.js';

/** One served (or refused) request, as the counters keep it. */
export interface RequestRecord {
  readonly service: ServiceName;
  readonly action: string | undefined;
  readonly secretName: string | undefined;
  readonly accessKeyId: string | undefined;
  /** How the request was signed, when the service noted it (`ACS3-HMAC-SHA256`, `HMAC-SHA1`, `SHA256withRSA` …). */
  readonly signatureMethod: string | undefined;
  /** HTTP status answered; 0 when the connection was reset instead. */
  readonly status: number;
  /** `'ok'` for 2xx/3xx, else the error code (`SignatureDoesNotMatch`, `Throttling`, `ConnectionReset` …). */
  readonly outcome: string;
  /** `Date.now()` when the request was recorded. */
  readonly at: number;
}

/** Any field left out matches every value. */
export interface CounterFilter {
  service?: ServiceName;
  action?: string;
  secretName?: string;
  outcome?: string;
}

/** Requests seen by every service of one fake cloud. */
export interface RequestCounters {
  /** Exact number of matching requests since start (or the last `reset()`), not limited by the ring. */
  count(filter?: CounterFilter): number;
  /** The most recent records, oldest first (at most `capacity`). */
  list(): RequestRecord[];
  reset(): void;
}

/** Default number of records kept for `list()`. */
export const DEFAULT_COUNTER_CAPACITY = 10_000;

type TotalsKey = readonly [ServiceName, string | undefined, string | undefined, string];

/**
 * A ring of the last records plus running totals per (service, action,
 * secret, outcome), so `count()` stays exact after the ring wraps while memory
 * stays bounded by the ring and the number of distinct combinations.
 */
export class RequestCounterStore implements RequestCounters {
  readonly #capacity: number;
  #ring: RequestRecord[] = [];
  #next = 0;
  readonly #totals = new Map<string, { key: TotalsKey; count: number }>();

  constructor(capacity = DEFAULT_COUNTER_CAPACITY) {
    this.#capacity = Math.max(1, capacity);
  }

  record(entry: Omit<RequestRecord, 'at'>): void {
    const record: RequestRecord = Object.freeze({ ...entry, at: Date.now() });
    if (this.#ring.length < this.#capacity) this.#ring.push(record);
    else this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.#capacity;
    const key: TotalsKey = [entry.service, entry.action, entry.secretName, entry.outcome];
    const id = JSON.stringify(key);
    const total = this.#totals.get(id);
    if (total) total.count += 1;
    else this.#totals.set(id, { key, count: 1 });
  }

  count(filter: CounterFilter = {}): number {
    let sum = 0;
    for (const { key, count } of this.#totals.values()) {
      const [service, action, secretName, outcome] = key;
      if (filter.service !== undefined && filter.service !== service) continue;
      if (filter.action !== undefined && filter.action !== action) continue;
      if (filter.secretName !== undefined && filter.secretName !== secretName) continue;
      if (filter.outcome !== undefined && filter.outcome !== outcome) continue;
      sum += count;
    }
    return sum;
  }

  list(): RequestRecord[] {
    if (this.#ring.length < this.#capacity) return [...this.#ring];
    return [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
  }

  reset(): void {
    this.#ring = [];
    this.#next = 0;
    this.#totals.clear();
  }
}
