/**
 * The small slice of XML OSS needs: answers built from escaped leaves, and
 * the one request body the emulator reads (CompleteMultipartUpload). ali-oss
 * parses answers with xml2js (`explicitArray: false`), so element names and
 * nesting are what matters; whitespace is not.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_all, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    const char = Object.entries(ESCAPES).find(([, name]) => name === `&${entity};`);
    return char ? char[0] : '';
  });
}

/** `<name>escaped value</name>`; nothing when the value is undefined. */
export function leaf(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>…</name>` around already rendered children. */
export function element(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A whole XML answer. */
export function xmlDocument(root: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

/** One `<Part>` of a CompleteMultipartUpload body. */
export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/**
 * Reads `<CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>…`; undefined
 * when the body is not that shape (the caller answers `MalformedXML`).
 */
export function parseCompleteMultipartUpload(body: string): CompletedPart[] | undefined {
  const root = /<CompleteMultipartUpload>([\s\S]*)<\/CompleteMultipartUpload>/.exec(body);
  if (!root) return undefined;
  const parts: CompletedPart[] = [];
  for (const match of (root[1] ?? '').matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const inner = match[1] ?? '';
    const partNumber = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(inner)?.[1];
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(inner)?.[1];
    if (partNumber === undefined || etag === undefined) return undefined;
    parts.push({ partNumber: Number(partNumber), etag: unescapeXml(etag.trim()) });
  }
  return parts;
}

/** Reads `<Delete><Quiet/><Object><Key/></Object>…</Delete>`; undefined when the body is not that shape. */
export function parseDeleteObjects(body: string): { quiet: boolean; keys: string[] } | undefined {
  const root = /<Delete>([\s\S]*)<\/Delete>/.exec(body);
  if (!root) return undefined;
  const inner = root[1] ?? '';
  const keys = [...inner.matchAll(/<Object>[\s\S]*?<Key>([\s\S]*?)<\/Key>[\s\S]*?<\/Object>/g)].map((m) =>
    unescapeXml(m[1] ?? ''),
  );
  return { quiet: /<Quiet>\s*true\s*<\/Quiet>/.test(inner), keys };
}
