import type { IncomingMessage } from 'node:http';
import { ossErrors } from './errors.js';

/** What the OSS emulator reads from one HTTP request, decoded once. */
export interface OssRequest {
  readonly method: string;
  /** Lower-case names; a repeated header is joined with `, ` as Node joins it. */
  readonly headers: ReadonlyMap<string, string>;
  /** Decoded query parameters; a key sent without `=` has the value `''`. */
  readonly query: ReadonlyMap<string, string>;
  /** Decoded path, always starting with `/`. */
  readonly path: string;
  /** Host header without the port, lower case. */
  readonly hostname: string;
  readonly body: Buffer;
}

/** Decodes the request line and headers; a path or query that is not valid percent-encoding is `InvalidURI`. */
export function readOssRequest(req: IncomingMessage, body: Buffer): OssRequest {
  const url = req.url ?? '/';
  const questionMark = url.indexOf('?');
  const rawPath = questionMark === -1 ? url : url.slice(0, questionMark);
  const rawQuery = questionMark === -1 ? '' : url.slice(questionMark + 1);
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  const host = headers.get('host') ?? '';
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    headers,
    query: parseQuery(rawQuery),
    path: decode(rawPath.startsWith('/') ? rawPath : `/${rawPath}`),
    hostname: stripPort(host).toLowerCase(),
    body,
  };
}

function parseQuery(rawQuery: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    // OSS (and ali-oss's url.format) encode a space as %20; '+' is a literal plus.
    const key = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decode(pair.slice(equals + 1));
    query.set(key, value);
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw ossErrors.invalidUri();
  }
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
