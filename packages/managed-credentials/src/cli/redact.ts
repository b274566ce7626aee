/** What the doctor prints instead of a secret value. */
export const REDACTED = '<redacted>';

/** Configuration keys whose value is itself a secret. */
const SECRET_KEYS = new Set(['credentials_access_secret']);

/** Keys whose value is an AccessKey id: shown masked. */
const KEY_ID_KEYS = new Set(['credentials_access_key_id']);

/**
 * Field names inside JSON values that may hold a secret. The recognised
 * `passwordFromEnvVariable` / `passwordFromFilePath(Name)` fields name where a
 * password is, not the password, so they are shown.
 */
const SECRET_FIELD = /secret|password|privatekey|token/i;
const POINTER_FIELD = /(FromEnvVariable|FromFilePath|FromFilePathName|Path|File)$/;

/**
 * `LTAI5tAbCd…wXyZ` → `LTAI****wXyZ`: enough to recognise a key, not the whole id.
 * Short ids are fully masked.
 */
export function maskKeyId(accessKeyId: string): string {
  return accessKeyId.length < 12 ? '****' : `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-4)}`;
}

/** A configuration value as the doctor shows it: secrets redacted, key ids masked, JSON scrubbed. */
export function displayValue(key: string, value: string): string {
  if (SECRET_KEYS.has(key)) return REDACTED;
  if (KEY_ID_KEYS.has(key)) return maskKeyId(value);
  if (value.trimStart().startsWith('[') || value.trimStart().startsWith('{')) return scrubJson(value);
  return value;
}

/** JSON text with every secret-looking field replaced; text that is not JSON is shown as is (the loader reports it). */
function scrubJson(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(parsed, (field, fieldValue: unknown) =>
    field !== '' && SECRET_FIELD.test(field) && !POINTER_FIELD.test(field) && typeof fieldValue !== 'object'
      ? REDACTED
      : fieldValue,
  );
}

/**
 * A writer that replaces every known secret (the KMS caller's AccessKeySecret,
 * ClientKey passwords, fetched AccessKeySecrets …) with `<redacted>` before
 * anything reaches the terminal: a last line of defence should an error
 * message ever quote one.
 */
export class RedactingWriter {
  readonly #write: (text: string) => void;
  readonly #secrets = new Set<string>();

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  /** Adds a value never to print. Very short values are ignored (they would mangle ordinary text). */
  forget(secret: string | undefined): void {
    if (secret !== undefined && secret.trim().length >= 6) this.#secrets.add(secret.trim());
  }

  line(text = ''): void {
    let safe = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      safe = safe.split(secret).join(REDACTED);
    }
    this.#write(`${safe}\n`);
  }
}
