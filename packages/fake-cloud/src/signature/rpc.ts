import { createHmac, createVerify } from 'node:crypto';
import { popEncode, sameText } from './encode.js';

/**
 * String-to-sign of the RPC signature (SignatureVersion 1.0): every parameter
 * except `Signature` (query and form body alike), sorted by name, each name
 * and value encoded, joined with `&`, then `METHOD&%2F&<encoded canonical>`.
 */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${popEncode(name)}=${popEncode(params[name] ?? '')}`)
    .join('&');
  return `${method.toUpperCase()}&${popEncode('/')}&${popEncode(canonical)}`;
}

/** `HMAC-SHA1`: base64 HMAC-SHA1 keyed with `secret + '&'`. */
export function verifyRpcHmacSha1(stringToSign: string, signature: string, accessKeySecret: string): boolean {
  const expected = createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
  return sameText(expected, signature);
}

/** `SHA256withRSA` (ClientKey): base64 RSA-SHA256 (PKCS#1 v1.5) over the same string. */
export function verifyRpcRsa(stringToSign: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(stringToSign).verify(publicKeyPem, signature, 'base64');
  } catch {
    // A malformed signature is a mismatch, not a server error.
    return false;
  }
}
