/** Values of the caller that must never appear whole. */
export interface KnownValues {
  /** AccessKey ids, ClientKey ids: shown masked. */
  ids?: readonly string[];
  /** AccessKey secrets, security tokens: never shown. */
  secrets?: readonly string[];
}

/**
 * Reduces text that came from the SDK or from KMS (an error's message, the
 * `Message` of an error answer) to what may appear in our messages. SDK
 * errors quote the request URL (`httpx` appends `POST <url> failed.`, and an
 * RPC URL carries `AccessKeyId`, `SecurityToken` and `Signature`), and a
 * `SignatureDoesNotMatch` answer quotes the server's string-to-sign (every
 * signed parameter). So:
 * - everything from "string to sign" on is dropped;
 * - a URL keeps only its origin;
 * - the caller's known key ids are masked (`LTAI****wxyz`) and its secrets
 *   and tokens replaced by `<redacted>`; so is anything shaped like an
 *   AccessKey id (`LTAI…`, `STS.…`) or a long token (32+ characters of
 *   base64/hex);
 * - the result is cut to `maxLength` characters.
 */
export function safeText(text: string, known: KnownValues = {}, maxLength = 200): string {
  let safe = text.split(/string[ -]?to[ -]?sign/i)[0] ?? '';
  safe = safe.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => {
    try {
      return new URL(url).origin;
    } catch {
      return '<url>';
    }
  });
  for (const secret of known.secrets ?? []) {
    if (secret.length >= 4) safe = safe.split(secret).join('<redacted>');
  }
  for (const id of known.ids ?? []) {
    if (id.length >= 4) safe = safe.split(id).join(maskId(id));
  }
  safe = safe
    .replace(/\b(?:LTAI|STS\.)[A-Za-z0-9._-]{6,}/g, (id) => maskId(id))
    .replace(/[A-Za-z0-9+/=_-]{32,}/g, '<redacted>');
  safe = safe.replace(/\s+/g, ' ').trim();
  return safe.length > maxLength ? `${safe.slice(0, maxLength)}…` : safe;
}

/** `LTAI****wxyz`: enough to tell keys apart in a message, never the whole id. */
export function maskId(id: string): string {
  if (id.length <= 8) return '****';
  return `${id.slice(0, 4)}****${id.slice(-4)}`;
}
