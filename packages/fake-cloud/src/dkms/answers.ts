import type { ServerResponse } from 'node:http';
import { newRequestId } from '../ids.js';
import type { RequestNote } from '../types.js';
import { encodeInstanceError } from './messages.js';

export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';

/** An error of the KMS instance API, before it is encoded. */
export interface InstanceErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/**
 * The body of an instance API error: the protobuf `Error` message (binary, so
 * it must be written as a Buffer, never as a string).
 */
export function instanceErrorBody(error: InstanceErrorAnswer, requestId: string = newRequestId()): Buffer {
  return encodeInstanceError({
    StatusCode: error.status,
    ErrorCode: error.code,
    ErrorMessage: error.message,
    RequestId: requestId,
  });
}

/** Writes an instance API error answer and notes its code for the counters. */
export function sendInstanceError(res: ServerResponse, note: RequestNote, error: InstanceErrorAnswer): void {
  note.errorCode = error.code;
  const requestId = newRequestId();
  sendProtobuf(res, error.status, instanceErrorBody(error, requestId), requestId);
}

export function sendProtobuf(res: ServerResponse, status: number, body: Buffer, requestId: string): void {
  res.writeHead(status, {
    'content-type': PROTOBUF_CONTENT_TYPE,
    'content-length': body.length,
    'x-kms-requestid': requestId,
  });
  res.end(body);
}
