/**
 * The transport hook of `@alicloud/credentials` providers: their `doRequest`
 * instance property (declared private in the typings; it is their mock seam).
 */
interface RedirectableProvider {
  doRequest: (request: { host: string; protocol?: string }) => Promise<unknown>;
}

/**
 * Wraps `provider.doRequest` so every request goes to `endpoint()` (host,
 * port and protocol) instead of the host the provider hard-codes
 * (100.100.100.200, sts.aliyuncs.com). Returns the provider.
 */
export function redirectProvider<P extends object>(provider: P, endpoint: () => string): P {
  const target = provider as Partial<RedirectableProvider>;
  if (typeof target.doRequest !== 'function') {
    throw new TypeError('redirect() expects an @alicloud/credentials provider with a doRequest method');
  }
  const original = target.doRequest.bind(provider);
  target.doRequest = (request) => {
    const url = new URL(endpoint());
    request.host = url.host;
    request.protocol = url.protocol.replace(':', '');
    return original(request);
  };
  return provider;
}
