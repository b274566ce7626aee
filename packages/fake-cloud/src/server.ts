import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestCounterStore } from './counters.js';
import type { FaultState, QueuedFailure } from './faults.js';
import { sendError, type ErrorFormat } from './http/errors.js';
import { headerValue, rpcParams } from './http/params.js';
import type { RequestNote, ServiceHandler, ServiceName } from './types.js';

/** How one service answers the `throttling` fault. */
export interface ThrottlingAnswer {
  readonly status: number;
  readonly code: string;
}

export interface ServiceServerOptions {
  service: ServiceName;
  handler: ServiceHandler;
  faults: FaultState;
  counters: RequestCounterStore;
  errorFormat: ErrorFormat;
  throttling: ThrottlingAnswer;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
}

/** One listening service. */
export interface ServiceServer {
  /** `http(s)://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Stops listening, drops every open connection and pending delay. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts one emulated service on 127.0.0.1 with an ephemeral port. Per
 * request: outage check, whole body read, latency, queued failure, then the
 * service handler; every request ends up in the counters.
 */
export async function startServiceServer(options: ServiceServerOptions): Promise<ServiceServer> {
  const delays = new Set<NodeJS.Timeout>();
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void serve(options, delays, req, res);
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of delays) clearTimeout(timer);
        delays.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function serve(
  options: ServiceServerOptions,
  delays: Set<NodeJS.Timeout>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { service, faults, counters } = options;
  const note: RequestNote = {};
  let recorded = false;
  const record = (status: number, outcome: string): void => {
    if (recorded) return;
    recorded = true;
    counters.record({
      service,
      action: note.action,
      secretName: note.secretName,
      accessKeyId: note.accessKeyId,
      signatureMethod: note.signatureMethod,
      status,
      outcome,
    });
  };
  res.once('close', () => {
    const status = res.headersSent ? res.statusCode : 0;
    const outcome =
      note.errorCode ?? (status >= 200 && status < 400 ? 'ok' : status === 0 ? 'Aborted' : `HTTP${status}`);
    record(status, outcome);
  });

  if (faults.outage) {
    peekNote(req, Buffer.alloc(0), note);
    record(0, 'Outage');
    req.socket.resetAndDestroy();
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch {
    record(0, 'Aborted');
    return;
  }
  peekNote(req, body, note);
  if (faults.latencyMs > 0) {
    await delay(faults.latencyMs, delays);
    // The client may have given up while we waited; there is nobody to answer.
    if (res.destroyed) return;
  }
  const failure = faults.takeFailure();
  if (failure) {
    failWith(options, failure, req, res, note, record);
    return;
  }
  try {
    await options.handler(req, body, res, note);
  } catch (error) {
    if (!res.headersSent) {
      sendError(res, note, options.errorFormat, {
        status: 500,
        code: 'InternalError',
        message: `The fake ${service} handler failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    } else {
      res.destroy();
    }
  }
}

function failWith(
  options: ServiceServerOptions,
  failure: QueuedFailure,
  req: IncomingMessage,
  res: ServerResponse,
  note: RequestNote,
  record: (status: number, outcome: string) => void,
): void {
  if (failure.kind === 'reset') {
    record(0, 'ConnectionReset');
    req.socket.resetAndDestroy();
    return;
  }
  if (failure.kind === 'hang') {
    // Never answered: counted when the client (or the server's close()) drops the connection.
    note.errorCode = 'Hang';
    return;
  }
  if (failure.kind === 'html-error' || failure.kind === 'big-body') {
    sendRawFailure(failure, res, note);
    return;
  }
  const base =
    failure.kind === 'throttling'
      ? {
          status: options.throttling.status,
          code: options.throttling.code,
          message: 'Request was denied due to request throttling.',
        }
      : failure.kind === 'unavailable'
        ? {
            status: 503,
            code: 'ServiceUnavailable',
            message: 'The request has failed due to a temporary failure of the server.',
          }
        : {
            status: 500,
            code: 'InternalError',
            message: 'The request processing has failed due to some unknown error.',
          };
  sendError(res, note, options.errorFormat, {
    ...base,
    status: failure.status ?? base.status,
    code: failure.code ?? base.code,
  });
}

/** HTML error pages and oversized answers: bodies no service ever sends, as proxies and broken gateways do. */
function sendRawFailure(failure: QueuedFailure, res: ServerResponse, note: RequestNote): void {
  if (failure.kind === 'html-error') {
    note.errorCode = failure.code ?? 'HtmlError';
    res.writeHead(failure.status ?? 500, { 'content-type': 'text/html' });
    res.end(
      '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>',
    );
    return;
  }
  note.errorCode = failure.code ?? 'BigBody';
  const bytes = failure.bytes ?? BIG_BODY_BYTES;
  const headers: Record<string, string | number> = { 'content-type': 'application/json' };
  if (!failure.chunked) headers['content-length'] = bytes;
  res.writeHead(failure.status ?? 200, headers);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = bytes;
  // Written as the client reads it; stops when the client hangs up (a capped client abandons it early).
  const writeMore = (): void => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', writeMore);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  writeMore();
}

/** Default size of a `big-body` failure. */
const BIG_BODY_BYTES = 5 * 1024 * 1024;

/** Fills action and secret name from RPC parameters or tea headers so faulted requests are attributed too. */
function peekNote(req: IncomingMessage, body: Buffer, note: RequestNote): void {
  const params = rpcParams(req, body);
  note.action = params['Action'] ?? headerValue(req.headers['x-acs-action']);
  note.secretName = params['SecretName'];
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('request aborted')));
  });
}

function delay(ms: number, delays: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      delays.delete(timer);
      resolve();
    }, ms);
    timer.unref();
    delays.add(timer);
  });
}
