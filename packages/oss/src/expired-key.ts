import { isExpiredKeyError, type ExpiredKeyJudge } from 'managed-credentials';

interface OssErrorShape {
  name?: unknown;
  status?: unknown;
  code?: unknown;
}

/**
 * ali-oss reads the error code from the response body, or from the
 * `x-oss-err` header OSS adds to bodiless (HEAD) answers. For `getStream` it
 * discards the body unread, so a 403 arrives as `UnknownError` without a
 * code, and "invalid key" cannot be told from "access denied". Such an error
 * is treated as a possibly expired key: the refresh is generation-aware and
 * rate-limited, and if the key did not change the original error is thrown.
 * ali-oss below 6.18 names that error `UnknowError` (sic).
 */
function isCodelessForbidden(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, status, code } = error as OssErrorShape;
  return (
    status === 403 &&
    (name === 'UnknownError' || name === 'UnknowError') &&
    (code === undefined || code === null || code === '')
  );
}

/** Default judge of {@link ProxyOSSClient}: the core's, plus ali-oss's code-less 403 (see above). */
export const isExpiredOssKeyError: ExpiredKeyJudge = (error) =>
  isExpiredKeyError(error) || isCodelessForbidden(error);
