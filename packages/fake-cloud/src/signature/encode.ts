import { timingSafeEqual } from 'node:crypto';

/**
 * Percent-encoding of the POP signatures: `encodeURIComponent` plus
 * `! ' ( ) *`, so only unreserved characters stay literal (RFC 3986).
 */
export function popEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Constant-time string comparison. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
