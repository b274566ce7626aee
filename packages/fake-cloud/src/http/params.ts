import type { IncomingMessage } from 'node:http';

/**
 * Splits `a=1&b=2` into ordered pairs, decoding with `decodeURIComponent`:
 * the tea clients encode spaces as `%20` and a literal `+` as `%2B`, so `+`
 * is not a space here (unlike `querystring.parse`).
 */
export function parsePairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (text === '') return pairs;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([safeDecode(rawKey), safeDecode(rawValue)]);
  }
  return pairs;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed escape is kept verbatim; the signature check then fails as it would on the real service.
    return text;
  }
}

/** The request target split into path and raw query text. */
export function splitUrl(req: IncomingMessage): { path: string; rawQuery: string } {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? { path: url, rawQuery: '' } : { path: url.slice(0, q), rawQuery: url.slice(q + 1) };
}

/** Query parameters of the request. Later duplicates win. */
export function queryParams(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(parsePairs(splitUrl(req).rawQuery));
}

/** Form fields of an `application/x-www-form-urlencoded` body; empty for other bodies. */
export function formParams(req: IncomingMessage, body: Buffer): Record<string, string> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return {};
  return Object.fromEntries(parsePairs(body.toString('utf8')));
}

/** RPC parameters: query and form body together (body wins), as POP services read them. */
export function rpcParams(req: IncomingMessage, body: Buffer): Record<string, string> {
  return { ...queryParams(req), ...formParams(req, body) };
}

/** A header as one string (the first of repeated ones). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
