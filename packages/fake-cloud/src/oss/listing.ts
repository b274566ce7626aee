/** One page of a ListObjects answer, before it is put in XML. */
export interface ListPage {
  readonly keys: string[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** The last key or common prefix of the page; where the next page starts after. */
  readonly nextMarker: string | undefined;
}

export interface ListQuery {
  readonly prefix: string;
  /** Keys and prefixes up to and including this one are skipped (V1 `marker`, V2 `start-after` / token). */
  readonly after: string;
  readonly delimiter: string;
  readonly maxKeys: number;
}

/**
 * Pages through keys in byte order as OSS does: keys after `after` that start
 * with `prefix`; with a delimiter, keys sharing `prefix…delimiter` collapse into
 * one common prefix, and keys and prefixes together count against `maxKeys`.
 */
export function listPage(allKeys: Iterable<string>, query: ListQuery): ListPage {
  const sorted = [...allKeys].filter((key) => key.startsWith(query.prefix)).sort(byteOrder);
  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  for (const key of sorted) {
    const rolledUp = commonPrefixOf(key, query);
    const item = rolledUp ?? key;
    if (item <= query.after && query.after !== '') continue;
    if (rolledUp !== undefined && rolledUp === last) continue;
    if (keys.length + commonPrefixes.length >= query.maxKeys) {
      isTruncated = true;
      break;
    }
    if (rolledUp !== undefined) commonPrefixes.push(rolledUp);
    else keys.push(key);
    last = item;
  }
  return { keys, commonPrefixes, isTruncated, nextMarker: isTruncated ? last : undefined };
}

function commonPrefixOf(key: string, query: ListQuery): string | undefined {
  if (query.delimiter === '') return undefined;
  const at = key.indexOf(query.delimiter, query.prefix.length);
  return at === -1 ? undefined : key.slice(0, at + query.delimiter.length);
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
