import { createHmac } from 'node:crypto';

// A test-side reference of the RPC signature (version 1.0), to check what the
// SDK and @alicloud/credentials send and to sign requests to fake-cloud's ECS.
// The library itself no longer signs with HMAC: the Alibaba SDKs do.

function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `key=value&…` of every parameter, keys sorted, both sides percent-encoded. */
export function canonicalizedQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key] ?? '')}`)
    .join('&');
}

/** `METHOD&%2F&encode(canonicalized query)`. */
export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalizedQuery(params))}`;
}

/** `HMAC-SHA1` with `secret + '&'` as key, base64. */
export function hmacSha1Signature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}
