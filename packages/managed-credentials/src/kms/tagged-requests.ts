import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * Request header that names the owner of an HTTP request the plug-in makes
 * through a library (the Alibaba SDK for KMS, `@alicloud/credentials` for
 * STS and the instance metadata service). Neither library takes an
 * `http.Agent` or an `AbortSignal`, but both send the headers they are given.
 * The value is meaningless to the server; it is not signed (the SDKs sign
 * `host`, `content-type` and `x-acs-*` headers only) and holds nothing secret.
 */
export const OWNER_HEADER = 'x-managed-credentials-owner';

/**
 * Per process, so a header value can never match another process's owner.
 * Drawn at the first tag, not at import (issue 14, import time).
 */
let processTag: string | undefined;
let lastId = 0;

/** Owners by header value. The channels are subscribed only while one exists. */
const owners = new Map<string, (request: ClientRequest) => void>();

/**
 * Why not an `AsyncLocalStorage` (what this module replaced): on Node 20 the
 * first `run()` of any storage installs a V8 promise hook, and V8 then
 * invalidates its `PromiseHook` protector for the rest of the process —
 * optimised `async`/`await` code of the whole application stays a few per
 * cent slower even after the storage is disabled (issue 14's "promise tax").
 * A header needs no async context at all.
 */
function onClientRequest(message: unknown): void {
  const request = (message as { request?: ClientRequest } | undefined)?.request;
  const tag = request?.getHeader(OWNER_HEADER);
  if (typeof tag !== 'string') return;
  owners.get(tag)?.(request as ClientRequest);
}

// `created` fires in the request's constructor (before connect) where Node has it (≥ 22.12); `start` everywhere.
const CHANNELS = ['http.client.request.created', 'http.client.request.start'];

/** A claim on the requests that carry {@link header}. */
export interface RequestTag {
  /** Headers to send with each request of the owner. */
  readonly header: Readonly<Record<string, string>>;
  /** Stops handing requests to the owner; idempotent. */
  release(): void;
}

/**
 * Hands every HTTP request made with the returned {@link RequestTag.header}
 * to `adopt` (possibly twice: once per channel), until the tag is released.
 * Requests of the rest of the application are never touched. While no tag is
 * held, the diagnostics channels are not subscribed: the plug-in costs the
 * application's own HTTP requests nothing between KMS attempts.
 */
export function tagRequests(adopt: (request: ClientRequest) => void): RequestTag {
  lastId += 1;
  processTag ??= randomBytes(6).toString('hex');
  const tag = `${processTag}.${lastId}`;
  if (owners.size === 0) for (const name of CHANNELS) subscribe(name, onClientRequest);
  owners.set(tag, adopt);
  let released = false;
  return {
    header: { [OWNER_HEADER]: tag },
    release() {
      if (released) return;
      released = true;
      owners.delete(tag);
      if (owners.size === 0) {
        for (const name of CHANNELS) unsubscribe(name, onClientRequest);
      }
    },
  };
}

/** Tags in use (for tests: none once every attempt has settled). */
export function tagsInUse(): number {
  return owners.size;
}
