import type { ServerResponse } from 'node:http';
import { newRequestId } from '../ids.js';
import type { RequestNote } from '../types.js';

/** An error answer, before it is put in a service's body format. */
export interface ErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly requestId: string;
}

/** An error answer in one service's wire format. */
export interface RenderedError {
  readonly contentType: string;
  /** Text, or bytes for binary formats (the KMS instance API's protobuf). */
  readonly body: string | Buffer;
  /** Header carrying the request id. Default `x-acs-request-id`. */
  readonly requestIdHeader?: string;
}

/** Renders an error answer in one service's wire format. */
export type ErrorFormat = (error: ErrorAnswer) => RenderedError;

/** POP (RPC/ROA) services: `{RequestId, HostId, Code, Message, Recommend}`. */
export function popErrorFormat(hostId: string): ErrorFormat {
  return ({ code, message, requestId }) => ({
    contentType: 'application/json;charset=utf-8',
    body: JSON.stringify({
      RequestId: requestId,
      HostId: hostId,
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=fake-cloud`,
    }),
  });
}

/** OSS: `<Error><Code/><Message/><RequestId/><HostId/></Error>`. */
export function ossErrorFormat(hostId: string): ErrorFormat {
  return ({ code, message, requestId }) => ({
    contentType: 'application/xml',
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
      `  <Code>${xmlEscape(code)}</Code>\n  <Message>${xmlEscape(message)}</Message>\n` +
      `  <RequestId>${requestId}</RequestId>\n  <HostId>${xmlEscape(hostId)}</HostId>\n</Error>\n`,
  });
}

/** ECS metadata server: plain text, as the real one answers errors. */
export const textErrorFormat: ErrorFormat = ({ code, message }) => ({
  contentType: 'text/plain; charset=utf-8',
  body: `${code}: ${message}`,
});

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Writes an error answer and notes its code for the counters. */
export function sendError(
  res: ServerResponse,
  note: RequestNote,
  format: ErrorFormat,
  error: { status: number; code: string; message: string },
): void {
  note.errorCode = error.code;
  const requestId = newRequestId();
  const { contentType, body, requestIdHeader } = format({ ...error, requestId });
  res.writeHead(error.status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    [requestIdHeader ?? 'x-acs-request-id']: requestId,
  });
  res.end(body);
}

/** Writes a JSON success answer. */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
