/**
 * How an injected failure looks on the wire:
 * - `internal-error`: HTTP 500 `InternalError`;
 * - `unavailable`: HTTP 503 `ServiceUnavailable`;
 * - `throttling`: the service's throttling answer (KMS/ECS HTTP 400 `Throttling`, OSS/KMS instance HTTP 503);
 * - `reset`: the TCP connection is reset without an answer (the client sees `ECONNRESET`);
 * - `hang`: the request is read and never answered (the connection stays open until the client gives up);
 * - `html-error`: HTTP 500 with an HTML page, as a proxy or load balancer answers;
 * - `big-body`: HTTP 200 whose body is `bytes` long (default 5 MiB) and not the service's answer, with a
 *   `content-length` up front, or streamed without one (`chunked: true`) as a misrouted endpoint might send it.
 */
export type FailureKind =
  'internal-error' | 'unavailable' | 'throttling' | 'reset' | 'hang' | 'html-error' | 'big-body';

/** Overrides the status and code of one injected HTTP failure (and the size of a `big-body`). */
export interface FailureOverride {
  status?: number;
  code?: string;
  /** Body size of a `big-body` failure. Default 5 MiB. */
  bytes?: number;
  /** A `big-body` answer streamed without `content-length` (the client learns its size only by reading). */
  chunked?: boolean;
}

export interface QueuedFailure extends FailureOverride {
  readonly kind: FailureKind;
}

/** Fault switches of one service. All start off; `clear()` turns everything off again. */
export interface ServiceFaults {
  /** Delay every answer by `ms` (0 = none). The delay counts after the body was read. */
  setLatency(ms: number): void;
  /** The next `count` requests fail as `kind` (default `internal-error`); calls queue up in order. */
  failNext(count: number, kind?: FailureKind, override?: FailureOverride): void;
  /**
   * Full outage on/off. While on, every request on this service is answered
   * by a TCP reset (the listener stays open, so clients see `ECONNRESET` /
   * "socket hang up", not `ECONNREFUSED`); it is counted as `Outage`.
   */
  setOutage(on: boolean): void;
  /** Latency 0, no queued failures, outage off. */
  clear(): void;
  readonly latencyMs: number;
  readonly outage: boolean;
  /** Failures still queued. */
  readonly pendingFailures: number;
}

/** Holds the fault state of one service; the server consumes it per request. */
export class FaultState implements ServiceFaults {
  #latencyMs = 0;
  #outage = false;
  #queue: QueuedFailure[] = [];

  get latencyMs(): number {
    return this.#latencyMs;
  }

  get outage(): boolean {
    return this.#outage;
  }

  get pendingFailures(): number {
    return this.#queue.length;
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`latency must be a non-negative number of ms, got ${ms}`);
    this.#latencyMs = ms;
  }

  failNext(count: number, kind: FailureKind = 'internal-error', override: FailureOverride = {}): void {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    for (let i = 0; i < count; i++) this.#queue.push({ kind, ...override });
  }

  setOutage(on: boolean): void {
    this.#outage = on;
  }

  clear(): void {
    this.#latencyMs = 0;
    this.#outage = false;
    this.#queue = [];
  }

  /** Takes the next queued failure, if any. */
  takeFailure(): QueuedFailure | undefined {
    return this.#queue.shift();
  }
}
