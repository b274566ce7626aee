import { createHash, createHmac, createVerify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parsePairs, splitUrl } from '../http/params.js';
import { popEncode, sameText } from './encode.js';

/** The parts of an `Authorization: ACS3-… Credential=…,SignedHeaders=…,Signature=…` header. */
export interface Acs3Authorization {
  readonly algorithm: string;
  readonly credential: string;
  readonly signedHeaders: string[];
  readonly signature: string;
}

/** Parses the header; undefined when it is not an ACS3 authorization. */
export function parseAcs3Authorization(header: string | undefined): Acs3Authorization | undefined {
  if (!header) return undefined;
  const match = /^(ACS3-[A-Z0-9-]+)\s+(.*)$/.exec(header.trim());
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[2]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || signedHeaders === undefined || !signature) return undefined;
  return {
    algorithm: match[1]!,
    credential,
    signedHeaders: signedHeaders === '' ? [] : signedHeaders.split(';'),
    signature,
  };
}

/**
 * String-to-sign of ACS3 (V3 signature), rebuilt from what arrived: method,
 * the path as sent, the query sorted by name with values encoded (names are
 * not — the tea clients do not encode them), the signed headers
 * `name:trimmed value`, the signed-header list, and the `x-acs-content-sha256`
 * header as payload hash.
 */
export function acs3StringToSign(req: IncomingMessage, auth: Acs3Authorization): string {
  const { path, rawQuery } = splitUrl(req);
  const query = Object.fromEntries(parsePairs(rawQuery));
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((name) => `${name}=${popEncode(query[name] ?? '')}`)
    .join('&');
  const headers = auth.signedHeaders.map((name) => `${name}:${headerText(req, name).trim()}\n`).join('');
  const payloadHash = headerText(req, 'x-acs-content-sha256');
  const canonicalRequest = [
    (req.method ?? 'GET').toUpperCase(),
    path,
    canonicalQuery,
    headers,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  return `${auth.algorithm}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
}

/** True when `x-acs-content-sha256` is the SHA-256 of the body that arrived. */
export function acs3PayloadMatches(req: IncomingMessage, body: Buffer): boolean {
  return sameText(createHash('sha256').update(body).digest('hex'), headerText(req, 'x-acs-content-sha256'));
}

/** `ACS3-HMAC-SHA256`: hex HMAC-SHA256 keyed with the AccessKeySecret. */
export function verifyAcs3Hmac(stringToSign: string, signature: string, accessKeySecret: string): boolean {
  const expected = createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
  return sameText(expected, signature.toLowerCase());
}

/** `ACS3-RSA-SHA256` (ClientKey): hex RSA-SHA256 signature checked with the public key. */
export function verifyAcs3Rsa(stringToSign: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(stringToSign).verify(publicKeyPem, signature, 'hex');
  } catch {
    return false;
  }
}

function headerText(req: IncomingMessage, name: string): string {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
