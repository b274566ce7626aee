import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { tagRequests, type RequestTag } from './tagged-requests.js';

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
 * The attempt's KMS request carries the watch's {@link header} (see
 * `tagged-requests.ts`), and so do the credential provider's calls (STS,
 * instance metadata) made while the attempt waits for its credentials
 * (`kms-caller.ts`): those requests are the attempt's own. The user's own SDK
 * calls carry no such header and are never touched.
 */

/** A GetSecretValue answer is at most a few KB (a secret holds at most 64 KB); larger is abandoned. */
export const MAX_KMS_ANSWER_BYTES = 1024 * 1024;

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
  #tag: RequestTag | undefined;
  /** HTTP status of the KMS answer, once its head arrived. */
  kmsStatus: number | undefined;
  /** Set when the KMS answer was larger than the cap and has been abandoned. */
  answerTooLarge = false;

  constructor(options: RequestWatchOptions) {
    this.#kmsHost = options.kmsHost.toLowerCase();
    this.#maxAnswerBytes = options.maxAnswerBytes ?? MAX_KMS_ANSWER_BYTES;
  }

  get maxAnswerBytes(): number {
    return this.#maxAnswerBytes;
  }

  /** Headers to send with the attempt's KMS request (inside {@link run}), so that the request is watched. */
  get header(): Readonly<Record<string, string>> {
    return this.#tag?.header ?? {};
  }

  /**
   * Runs the attempt's SDK call: the requests sent with {@link header} are watched until the call settles
   * (also after {@link finish}: a stopped attempt's late requests are stopped too).
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    const tag = tagRequests((request) => this.adopt(request));
    this.#tag = tag;
    let running: Promise<T>;
    try {
      running = call();
    } catch (error) {
      tag.release();
      throw error;
    }
    return running.finally(() => tag.release());
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
   * The attempt is over: requests it still makes later are no longer watched — unless the attempt was
   * stopped, whose late requests are stopped too.
   */
  finish(): void {
    this.#finished = true;
    this.#requests.clear();
  }

  /** @internal Called for each request that carries the attempt's header. */
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
