import { createHmac, createSign, type KeyObject } from 'node:crypto';

/**
 * Percent-encoding of Alibaba Cloud RPC signatures (RFC 3986 unreserved set):
 * `encodeURIComponent` plus `!'()*`, as @alicloud/openapi-util's `encode` does.
 */
export function percentEncode(text: string): string {
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

/** The RPC (signature version 1.0) string-to-sign: `METHOD&%2F&encode(canonicalized query)`. */
export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalizedQuery(params))}`;
}

/** `HMAC-SHA1` signature with `secret + '&'` as key, base64 — AccessKey and STS credentials. */
export function hmacSha1Signature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/**
 * `SHA256withRSA` signature, base64 — a ClientKey (RSA key pair) signs the
 * same string-to-sign, as the Java SDK core's KeyPair credentials do.
 */
export function rsaSha256Signature(stringToSign: string, privateKey: KeyObject | string): string {
  return createSign('RSA-SHA256').update(stringToSign, 'utf8').sign(privateKey, 'base64');
}
