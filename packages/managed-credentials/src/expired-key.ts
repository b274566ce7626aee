/** Decides whether an SDK error means the AccessKey is invalid or expired. */
export type ExpiredKeyJudge = (error: unknown) => boolean;

/** Options of the default judge. */
export interface ExpiredKeyJudgeOptions {
  /** Also treat `Unauthorized` as an expired key (the Java tea plug-in does). Default false. */
  treatUnauthorizedAsExpired?: boolean;
  /** More error codes that mean "this key is no longer valid", compared case-insensitively. */
  extraCodes?: readonly string[];
}

const EXPIRED_KEY_CODES = ['invalidaccesskeyid.notfound', 'invalidaccesskeyid'];

/**
 * The error codes an SDK error carries: `err.code` (tea clients and ali-oss,
 * whose `code` comes from the XML body), and `err.data.Code` (tea clients put
 * the answer body there; the legacy RPC client suffixes `code` with `Error`).
 */
function errorCodes(error: unknown): string[] {
  if (error === null || typeof error !== 'object') return [];
  const codes: string[] = [];
  const { code, data } = error as { code?: unknown; data?: unknown };
  if (typeof code === 'string') codes.push(code);
  if (data !== null && typeof data === 'object') {
    const { Code, code: lowerCode } = data as { Code?: unknown; code?: unknown };
    if (typeof Code === 'string') codes.push(Code);
    if (typeof lowerCode === 'string') codes.push(lowerCode);
  }
  return codes.map((value) => value.trim().toLowerCase());
}

/** The codes a judge with `options` accepts, lower-cased. */
function acceptedCodes(options: ExpiredKeyJudgeOptions): ReadonlySet<string> {
  return new Set([
    ...EXPIRED_KEY_CODES,
    ...(options.treatUnauthorizedAsExpired ? ['unauthorized'] : []),
    ...(options.extraCodes ?? []).map((code) => code.toLowerCase()),
  ]);
}

/** The default judge's codes, built once: the judge runs on every failed call. */
const DEFAULT_ACCEPTED_CODES = acceptedCodes({});

function hasAcceptedCode(error: unknown, accepted: ReadonlySet<string>): boolean {
  return errorCodes(error).some((code) => accepted.has(code) || accepted.has(code.replace(/error$/, '')));
}

/**
 * Default judge: `InvalidAccessKeyId.NotFound` or `InvalidAccessKeyId`, read
 * from `err.code`, `err.data.Code` (tea clients) or an ali-oss error's `code`,
 * compared case-insensitively.
 */
export function isExpiredKeyError(error: unknown, options?: ExpiredKeyJudgeOptions): boolean {
  return hasAcceptedCode(error, options === undefined ? DEFAULT_ACCEPTED_CODES : acceptedCodes(options));
}

/** A judge with fixed options, e.g. `createExpiredKeyJudge({ treatUnauthorizedAsExpired: true })`. */
export function createExpiredKeyJudge(options: ExpiredKeyJudgeOptions = {}): ExpiredKeyJudge {
  const accepted = acceptedCodes(options);
  return (error) => hasAcceptedCode(error, accepted);
}
