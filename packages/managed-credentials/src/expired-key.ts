// SKELETON: filled in by the core implementation.
/** Decides whether an SDK error means the AccessKey is invalid or expired. */
export type ExpiredKeyJudge = (error: unknown) => boolean;

/** Options of the default judge. */
export interface ExpiredKeyJudgeOptions {
  /** Also treat `Unauthorized` as an expired key (the Java tea plug-in does). Default false. */
  treatUnauthorizedAsExpired?: boolean;
}

/**
 * Default judge: `InvalidAccessKeyId.NotFound` or `InvalidAccessKeyId`, read
 * from `err.code`, `err.data.Code` (tea clients) or an ali-oss error's `code`,
 * compared case-insensitively.
 */
export function isExpiredKeyError(_error: unknown, _options: ExpiredKeyJudgeOptions = {}): boolean {
  throw new Error('not implemented');
}
