import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The HTTP requests that one KMS attempt made through the Alibaba SDK, seen
 * from outside the SDK.
 *
 * Why this exists: `@alicloud/openapi-client` sends through
 * `@alicloud/tea-typescript` and `httpx`, which take neither an `http.Agent`
 * nor an `AbortSignal` from the runtime options (the runtime object the
 * client builds has no such field, and `httpx` falls back to its own
 * module-level keep-alive agents). The plug-in still has to (1) keep its
 * background KMS traffic from holding the process open — sockets in flight
 * and idle are `unref()`ed (SPEC §5, liveness), (2) stop a request its
 * caller gave up on, and (3) abandon an answer larger than
 * {@link MAX_KMS_ANSWER_BYTES} without buffering it.
 *
 * Node publishes every client request on the `http.client.request.created`
 * (Node ≥ 22.12) and `http.client.request.start` diagnostics channels. An
 * attempt runs its SDK call inside {@link AsyncLocalStorage} with its own
 * `RequestWatch`, and the channel subscriber adopts only requests created in
 * that async context — the user's own SDK calls (other contexts) are never
 * touched. The credential provider's calls (STS, instance metadata) made for
 * this attempt belong to it too, and get the same treatment.
 */
const current = new AsyncLocalStorage<RequestWatch>();
let subscribed = false;
/**
 * Attempts in progress. On Node 20 an enabled AsyncLocalStorage puts a hook on every promise of the whole
 * application (issue 14's "promise tax"), so the storage is disabled again whenever no KMS attempt is in
 * progress: the tax is paid only during a KMS fetch, not for the rest of the process's life.
 */
let attemptsInProgress = 0;

function attemptEnded(): void {
  attemptsInProgress -= 1;
  if (attemptsInProgress === 0) current.disable();
}

/** A GetSecretValue answer is at most a few KB (a secret holds at most 64 KB); larger is abandoned. */
export const MAX_KMS_ANSWER_BYTES = 1024 * 1024;

function onClientRequest(message: unknown): void {
  const watch = current.getStore();
  const request = (message as { request?: ClientRequest } | undefined)?.request;
  if (watch !== undefined && request !== undefined) watch.adopt(request);
}

function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  // `created` fires in the request's constructor (before connect) where Node has it; `start` on every version.
  diagnosticsChannel.subscribe('http.client.request.created', onClientRequest);
  diagnosticsChannel.subscribe('http.client.request.start', onClientRequest);
}

/** Options of a {@link RequestWatch}. */
export interface RequestWatchOptions {
  /** `host[:port]` of the KMS endpoint (as `URL.host` writes it, the SDK's `host` header); only its answers count. */
  kmsHost: string;
  /** Default {@link MAX_KMS_ANSWER_BYTES}. */
  maxAnswerBytes?: number;
}

/** Watches the requests of one attempt; see the module comment. */
export class RequestWatch {
  readonly #requests = new Set<ClientRequest>();
  readonly #kmsHost: string;
  readonly #maxAnswerBytes: number;
  #stopReason: Error | undefined;
  #finished = false;
  /** HTTP status of the KMS answer, once its head arrived. */
  kmsStatus: number | undefined;
  /** Set when the KMS answer was larger than the cap and has been abandoned. */
  answerTooLarge = false;

  constructor(options: RequestWatchOptions) {
    this.#kmsHost = options.kmsHost.toLowerCase();
    this.#maxAnswerBytes = options.maxAnswerBytes ?? MAX_KMS_ANSWER_BYTES;
    subscribeOnce();
  }

  get maxAnswerBytes(): number {
    return this.#maxAnswerBytes;
  }

  /** Runs `call` so that every request it creates is watched. */
  run<T>(call: () => Promise<T>): Promise<T> {
    attemptsInProgress += 1;
    let running: Promise<T>;
    try {
      running = current.run(this, call);
    } catch (error) {
      attemptEnded();
      throw error;
    }
    return running.finally(attemptEnded);
  }

  /**
   * Destroys every request of the attempt (and any it starts later); idempotent. The requests get an
   * error of their own: `httpx` appends the request URL to the message of the error it is handed, so no
   * error that anyone shows (ours, the caller's abort reason) may go there.
   */
  stop(): void {
    this.#stopReason ??= new Error('KMS request stopped (time limit or abort)');
    for (const request of this.#requests) request.destroy(this.#stopReason);
  }

  /**
   * The attempt is over: requests still created in its async context later (a timer the credential
   * provider set up during the attempt) are no longer its own and are left alone — unless the attempt
   * was stopped, whose late requests are stopped too.
   */
  finish(): void {
    this.#finished = true;
    this.#requests.clear();
  }

  /** @internal Called by the channel subscriber. */
  adopt(request: ClientRequest): void {
    if (this.#requests.has(request)) return;
    if (this.#stopReason !== undefined) {
      // The attempt was given up (time limit, abort): whatever it still starts is stopped at once.
      request.destroy(this.#stopReason);
      return;
    }
    if (this.#finished) return;
    this.#requests.add(request);
    // A reused keep-alive socket is ref()ed again by the agent before 'socket' fires: unref it after.
    if (request.socket) request.socket.unref();
    request.on('socket', (socket: Socket) => socket.unref());
    if (String(request.getHeader('host')).toLowerCase() !== this.#kmsHost) return;
    request.once('response', (response: IncomingMessage) => this.#watchAnswer(request, response));
  }

  #watchAnswer(request: ClientRequest, response: IncomingMessage): void {
    this.kmsStatus = response.statusCode;
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.#maxAnswerBytes) {
      this.#abandon(request);
      return;
    }
    // Count what the socket delivers (the body, chunk framing included); the SDK reads the body itself.
    // The socket already flows into the HTTP parser, so one more 'data' listener only observes it.
    const socket = response.socket;
    let received = 0;
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > this.#maxAnswerBytes) {
        done();
        this.#abandon(request);
      }
    };
    const done = (): void => {
      socket.off('data', count);
    };
    socket.on('data', count);
    response.once('end', done);
    response.once('close', done);
  }

  #abandon(request: ClientRequest): void {
    this.answerTooLarge = true;
    request.destroy(new Error(`answer larger than ${this.#maxAnswerBytes} bytes`));
  }
}
