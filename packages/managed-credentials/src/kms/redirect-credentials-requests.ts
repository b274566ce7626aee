/**
 * The slice of an `@alicloud/credentials` HTTP request this module reads; the
 * library's `Request` class computes its URL in `toRequestURL()` from `url`
 * (when set) or protocol/host/path/queries.
 */
interface CredentialsHttpRequest {
  toRequestURL(): string;
}

type DoRequest = (request: CredentialsHttpRequest) => Promise<unknown>;

/**
 * Points a real `@alicloud/credentials` session provider (ECS RAM role, RAM
 * role ARN, OIDC) at another origin, e.g. a local metadata or STS emulator.
 *
 * The library hard-codes `http://100.100.100.200` (metadata) and
 * `https://<sts endpoint>`, and keeps its transport in the instance field
 * `doRequest` ("for mock", says its source). We wrap that field: each request
 * is re-targeted to `origin` (scheme, host and port), path and query kept,
 * and then sent by the library's own transport — so everything else (IMDSv2
 * token, role name discovery, STS signing, caching) stays the library's.
 *
 * @throws Error when the provider has no `doRequest` field (a library change).
 */
export function redirectCredentialsRequests(provider: object, origin: string): void {
  const target = new URL(origin);
  const holder = provider as { doRequest?: DoRequest };
  const original = holder.doRequest;
  if (typeof original !== 'function') {
    throw new Error('This @alicloud/credentials provider has no doRequest transport to redirect.');
  }
  holder.doRequest = (request: CredentialsHttpRequest) => {
    const url = new URL(request.toRequestURL());
    url.protocol = target.protocol;
    url.host = target.host;
    // An own `url` field shadows the request's: `toRequestURL()` returns it, every other field is inherited.
    const redirected: CredentialsHttpRequest = Object.create(request as object, {
      url: { value: url.toString(), enumerable: true },
    }) as CredentialsHttpRequest;
    return original.call(provider, redirected);
  };
}
