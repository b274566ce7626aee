import { createHash, createSign, type KeyObject } from 'node:crypto';

/** `x-kms-apiversion` of every instance API call the official SDKs make. */
export const INSTANCE_API_VERSION = 'dkms-gcs-0.2';
/** `x-kms-signaturemethod`: SHA256withRSA over the canonical string, with the ClientKey. */
export const INSTANCE_SIGNATURE_METHOD = 'RSA_PKCS1_SHA_256';
export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';

/** `content-sha256`: upper-case hex SHA-256 of the body. */
export function contentSha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex').toUpperCase();
}

/**
 * The canonical string the instance API signs:
 * `METHOD\ncontent-sha256\ncontent-type\ndate\n`, then every `x-kms-*` header
 * as `name:trimmed value\n` in ascending name order, then the canonicalized
 * resource (`/`: the API has a single path and no query). Header names must be
 * lower case, as the SDKs send them.
 */
export function instanceStringToSign(method: string, headers: Readonly<Record<string, string>>): string {
  const canonicalizedHeaders = Object.keys(headers)
    .filter((name) => name.startsWith('x-kms-'))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('');
  return (
    `${method}\n${headers['content-sha256'] ?? ''}\n${headers['content-type'] ?? ''}\n${headers['date'] ?? ''}\n` +
    `${canonicalizedHeaders}/`
  );
}

/** The `authorization` header value: `Bearer <base64 SHA256withRSA signature>`. */
export function instanceAuthorization(stringToSign: string, privateKey: KeyObject): string {
  return `Bearer ${createSign('RSA-SHA256').update(stringToSign, 'utf8').sign(privateKey, 'base64')}`;
}
