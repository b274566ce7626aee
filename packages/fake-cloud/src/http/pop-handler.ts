import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyCaller, type CallerKeys } from '../signature/verify-caller.js';
import type { RequestNote, ServiceHandler } from '../types.js';
import { sendError, type ErrorFormat } from './errors.js';
import { headerValue, rpcParams } from './params.js';

/** A POP request whose caller checked out. */
export interface PopCall {
  readonly req: IncomingMessage;
  /** The RPC parameters (query + form body). */
  readonly params: Record<string, string>;
  /** `Action` (RPC) or `x-acs-action` (ACS3); already noted for the counters. */
  readonly action: string | undefined;
  readonly res: ServerResponse;
  /** What the counters record about this request (`secretName` is the service's to set). */
  readonly note: RequestNote;
  /** Answers a POP error in the service's format and notes its code. */
  fail(status: number, code: string, message: string): void;
}

/**
 * The opening every signed POP service (KMS, ECS) shares: read the RPC
 * parameters, authenticate the caller and note its key and signature method
 * for the counters — a rejected caller is answered here — then hand the call
 * to `serve`.
 */
export function authenticatedPopHandler(
  keys: CallerKeys,
  errorFormat: ErrorFormat,
  serve: (call: PopCall) => void,
): ServiceHandler {
  return (req, body, res, note) => {
    const params = rpcParams(req, body);
    const fail = (status: number, code: string, message: string): void =>
      sendError(res, note, errorFormat, { status, code, message });
    const caller = verifyCaller(req, body, params, keys);
    note.accessKeyId = caller.accessKeyId;
    note.signatureMethod = caller.signatureMethod;
    if (!caller.ok) return fail(caller.status, caller.code, caller.message);

    const action = params['Action'] ?? headerValue(req.headers['x-acs-action']);
    note.action = action;
    serve({ req, params, action, res, note, fail });
  };
}
