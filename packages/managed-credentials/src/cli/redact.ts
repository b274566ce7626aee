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

/** `AccessKeyId=LTAI…`, `AccessKeyId%3DLTAI…` (a string-to-sign), `"AccessKeyId":"LTAI…"`: the value is an id. */
const KEY_ID_FIELD = /(AccessKeyId(?:=|%3D|"?\s*:\s*"?))([\w.-]{4,})(?![\w.*-])/gi;
/** RAM user (`LTAI…`) and STS (`STS.…`) AccessKey ids anywhere in a text. */
const KEY_ID_SHAPE = /\b(?:LTAI|STS\.)[A-Za-z0-9]{6,}/g;
/** An STS token in a string-to-sign or a JSON body is a credential. */
const TOKEN_FIELD = /(SecurityToken(?:=|%3D|"?\s*:\s*"?))([^&\s"]+)/gi;

/**
 * What must never reach the terminal as is: secrets (the KMS caller's
 * AccessKeySecret, ClientKey passwords, fetched AccessKeySecrets …), replaced
 * by `<redacted>`, and AccessKey ids, masked — the known ones exactly, any
 * other by their shape or by the field that holds them, so a KMS message that
 * quotes its string-to-sign is masked too. Shared by the stdout and stderr writers.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  readonly #keyIds = new Set<string>();

  /** Adds a value never to print. Very short values are ignored (they would mangle ordinary text). */
  forget(secret: string | undefined): void {
    if (secret !== undefined && secret.trim().length >= 6) this.#secrets.add(secret.trim());
  }

  /** Adds an AccessKey id to print masked only. */
  maskKeyId(accessKeyId: string | undefined): void {
    if (accessKeyId !== undefined && accessKeyId.trim().length >= 4) this.#keyIds.add(accessKeyId.trim());
  }

  apply(text: string): string {
    let safe = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      safe = safe.split(secret).join(REDACTED);
    }
    for (const keyId of [...this.#keyIds].sort((a, b) => b.length - a.length)) {
      safe = safe.split(keyId).join(maskKeyId(keyId));
    }
    return safe
      .replace(TOKEN_FIELD, (_match, field: string) => `${field}${REDACTED}`)
      .replace(KEY_ID_FIELD, (_match, field: string, id: string) => `${field}${maskKeyId(id)}`)
      .replace(KEY_ID_SHAPE, (id) => maskKeyId(id));
  }
}

/** Writes lines through a {@link Redactor}: the last line of defence should a message ever quote a secret. */
export class RedactingWriter {
  readonly #write: (text: string) => void;
  readonly redactor: Redactor;

  constructor(write: (text: string) => void, redactor: Redactor = new Redactor()) {
    this.#write = write;
    this.redactor = redactor;
  }

  /** Adds a value never to print (see {@link Redactor.forget}). */
  forget(secret: string | undefined): void {
    this.redactor.forget(secret);
  }

  line(text = ''): void {
    this.#write(`${this.redactor.apply(text)}\n`);
  }
}
