import type http from 'node:http';
import type https from 'node:https';
import { KmsAnswerTooLargeError } from '../errors.js';
import { kmsNetworkError, kmsTimeoutError } from './kms-error.js';
import { MAX_KMS_ANSWER_BYTES } from './request-watch.js';

/** One POST to a KMS endpoint, see {@link postOnce}. */
export interface KmsPost {
  transport: Pick<typeof http, 'request'> | Pick<typeof https, 'request'>;
  agent: http.Agent;
  url: string;
  headers: http.OutgoingHttpHeaders;
  body?: Buffer;
  /** Limit of the whole exchange (connect, TLS handshake, answer), ms. */
  timeoutMs: number;
  /** The caller's abort: the promise then rejects with the signal's reason. */
  signal: AbortSignal | undefined;
  /** For error messages. */
  secretName: string;
  endpoint: string;
  /** A more specific error for a failure without an answer (e.g. a TLS failure), or undefined. */
  classifyFailure?: (cause: unknown) => Error | undefined;
}

/**
 * Sends one POST and collects the answer (status and body) whatever its
 * status. An answer larger than `MAX_KMS_ANSWER_BYTES` is abandoned as soon
 * as it says so (`content-length`) or grows past it: a non-retryable
 * `KmsAnswerTooLargeError`. A failure without an answer rejects with the
 * caller's abort reason, a retryable `SecretFetchError` saying the request
 * timed out, the `classifyFailure` error, or a retryable network `SecretFetchError`.
 */
export function postOnce(post: KmsPost): Promise<{ status: number; body: Buffer }> {
  const { signal, secretName, endpoint } = post;
  const timeout = AbortSignal.timeout(post.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  return new Promise((resolve, reject) => {
    let tooLarge: { status: number } | undefined;
    const fail = (error: unknown) => {
      if (signal?.aborted) reject(signal.reason);
      else if (tooLarge) {
        reject(
          new KmsAnswerTooLargeError({
            secretName,
            endpoint,
            maxBytes: MAX_KMS_ANSWER_BYTES,
            httpStatus: tooLarge.status,
          }),
        );
      } else if (timeout.aborted) {
        reject(kmsTimeoutError({ secretName, endpoint, timeoutMs: post.timeoutMs }));
      } else
        reject(
          post.classifyFailure?.(error) ??
            kmsNetworkError({ secretName, endpoint, reason: describe(error), cause: error }),
        );
    };
    const request = post.transport.request(
      post.url,
      { method: 'POST', agent: post.agent, signal: combined, headers: post.headers },
      (response) => {
        const chunks: Buffer[] = [];
        let size = Number(response.headers['content-length']);
        if (!Number.isFinite(size) || size <= MAX_KMS_ANSWER_BYTES) size = 0;
        const abandonIfTooLarge = (): boolean => {
          if (size <= MAX_KMS_ANSWER_BYTES) return false;
          tooLarge = { status: response.statusCode ?? 0 };
          response.destroy(new Error(`answer larger than ${MAX_KMS_ANSWER_BYTES} bytes`));
          return true;
        };
        response.on('error', fail);
        if (abandonIfTooLarge()) return;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (!abandonIfTooLarge()) chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    // The socket never holds the process open, also while a request is in flight (a keep-alive agent ref()s
    // a reused socket before handing it over): a prefetch nobody awaits must not keep a finished program
    // alive; a caller who waits holds it open through the keep-alive (cache/keep-alive.ts).
    request.on('socket', (socket) => socket.unref());
    request.on('error', fail);
    request.end(post.body);
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`;
}
