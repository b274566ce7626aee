import type { RequestWatch } from './request-watch.js';
import { tagRequests, type RequestTag } from './tagged-requests.js';

/** The slice of an `@alicloud/credentials` HTTP request this module touches. */
interface CredentialsHttpRequest {
  headers?: Record<string, string>;
}

type DoRequest = (request: CredentialsHttpRequest) => Promise<unknown>;

/** The KMS attempts waiting for credentials, see {@link tagCredentialsRequests}. */
export interface CredentialsRequests {
  /** `watch` waits for credentials until `end()`: the provider's requests meanwhile are its own. */
  watchFor(watch: RequestWatch): { end(): void };
}

/**
 * Makes the HTTP requests of an `@alicloud/credentials` session provider (ECS
 * RAM role: instance metadata; RAM role ARN, OIDC: STS) belong to the KMS
 * attempts that wait for them: while any attempt waits for credentials, each
 * request carries a tag header (`tagged-requests.ts`) and is handed to every
 * waiting attempt's {@link RequestWatch}, which unrefs its socket and stops it
 * when the attempt is given up. The library sends through its instance field
 * `doRequest` (see `redirect-credentials-requests.ts`), wrapped here; a
 * provider without one (a static AccessKey) makes no requests.
 */
export function tagCredentialsRequests(provider: object): CredentialsRequests {
  const waiting = new Set<RequestWatch>();
  let tag: RequestTag | undefined;
  const holder = provider as { doRequest?: DoRequest };
  const original = holder.doRequest;
  if (typeof original === 'function') {
    holder.doRequest = (request: CredentialsHttpRequest) => {
      if (tag === undefined) return original.call(provider, request);
      // An own `headers` field shadows the request's; the library may add to it (Content-Type).
      const tagged = Object.create(request as object, {
        headers: { value: { ...request.headers, ...tag.header }, enumerable: true, writable: true },
      }) as CredentialsHttpRequest;
      return original.call(provider, tagged);
    };
  }
  return {
    watchFor(watch) {
      waiting.add(watch);
      tag ??= tagRequests((request) => {
        for (const attempt of waiting) attempt.adopt(request);
      });
      let ended = false;
      return {
        end() {
          if (ended) return;
          ended = true;
          waiting.delete(watch);
          if (waiting.size === 0) {
            tag?.release();
            tag = undefined;
          }
        },
      };
    },
  };
}
