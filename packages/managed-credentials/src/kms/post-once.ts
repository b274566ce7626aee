import type http from 'node:http';
import type https from 'node:https';
import { kmsNetworkError } from './kms-error.js';

/** An answer larger than this is not a GetSecretValue answer (a secret holds at most 64 KB). */
const MAX_BODY_BYTES = 1024 * 1024;

/** One POST to a KMS endpoint, see {@link postOnce}. */
export interface KmsPost {
  transport: typeof http | typeof https;
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
 * Sends one POST and collects the answer (status and body, at most 1 MB),
 * whatever its status. A failure without an answer rejects with the caller's
 * abort reason, a retryable `SecretFetchError` saying the request timed out,
 * the `classifyFailure` error, or a retryable network `SecretFetchError`.
 */
export function postOnce(post: KmsPost): Promise<{ status: number; body: Buffer }> {
  const { signal, secretName, endpoint } = post;
  const timeout = AbortSignal.timeout(post.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      if (signal?.aborted) reject(signal.reason);
      else if (timeout.aborted) {
        reject(kmsNetworkError({ secretName, endpoint, cause: error, timedOutAfterMs: post.timeoutMs }));
      } else reject(post.classifyFailure?.(error) ?? kmsNetworkError({ secretName, endpoint, cause: error }));
    };
    const request = post.transport.request(
      post.url,
      { method: 'POST', agent: post.agent, signal: combined, headers: post.headers },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES)
            response.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', fail);
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
