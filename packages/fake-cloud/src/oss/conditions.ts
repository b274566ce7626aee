/** Pure readings of HTTP conditional and range headers, as OSS applies them to GetObject. */

/** True when an `If-Match` / `If-None-Match` list names this ETag (quotes ignored) or is `*`. */
export function etagListed(header: string, etag: string): boolean {
  const wanted = etag.replace(/"/g, '');
  return header.split(',').some((item) => item.trim() === '*' || item.trim().replace(/"/g, '') === wanted);
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive [start, end]; OSS ignores an invalid or unsatisfiable range and sends the whole object. */
export function parseRange(header: string | undefined, size: number): [number, number] | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || size === 0) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  const start = from === '' ? Math.max(0, size - Number(to)) : Number(from);
  const end = from === '' || to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return start <= end && start < size ? [start, end] : undefined;
}
