import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { headerValue } from '../http/params.js';
import { sameText } from './encode.js';

/** `Authorization: acs <AccessKeyId>:<signature>` of the ROA signature (SignatureVersion 1.0). */
export interface RoaAuthorization {
  readonly accessKeyId: string;
  readonly signature: string;
}

export function parseRoaAuthorization(header: string | undefined): RoaAuthorization | undefined {
  const match = /^acs\s+([^:\s]+):(\S+)$/.exec(header?.trim() ?? '');
  return match ? { accessKeyId: match[1]!, signature: match[2]! } : undefined;
}

/**
 * String-to-sign of the ROA signature, as the POP gateway computes it:
 * `METHOD\nAccept\nContent-MD5\nContent-Type\nDate\n`, then every `x-acs-*`
 * header (lower-cased, sorted, `name:value\n`, tabs and line breaks made
 * spaces), then the path and the decoded query sorted by name
 * (`/clusters?a=1&b=2`, values not encoded).
 */
export function roaStringToSign(req: IncomingMessage, path: string, query: Record<string, string>): string {
  const header = (name: string): string => headerValue(req.headers[name]) ?? '';
  const acsHeaders = Object.keys(req.headers)
    .filter((name) => name.startsWith('x-acs-'))
    .sort()
    .map(
      (name) =>
        `${name}:${header(name)
          .replace(/[\t\n\r\f]/g, ' ')
          .trim()}\n`,
    )
    .join('');
  const names = Object.keys(query).sort();
  const resource = names.length === 0 ? path : `${path}?${names.map((n) => `${n}=${query[n]}`).join('&')}`;
  const method = (req.method ?? 'GET').toUpperCase();
  return (
    `${method}\n${header('accept')}\n${header('content-md5')}\n${header('content-type')}\n${header('date')}\n` +
    `${acsHeaders}${resource}`
  );
}

/** base64 HMAC-SHA1 keyed with the AccessKeySecret itself (no `&`, unlike RPC). */
export function verifyRoaHmacSha1(stringToSign: string, signature: string, accessKeySecret: string): boolean {
  const expected = createHmac('sha1', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
  return sameText(expected, signature);
}

/** Whether a `Content-MD5` header, when sent, is the base64 MD5 of the body. */
export function contentMd5Matches(req: IncomingMessage, body: Buffer): boolean {
  const sent = headerValue(req.headers['content-md5']);
  return sent === undefined || sameText(createHash('md5').update(body).digest('base64'), sent);
}
