/**
 * Whether a failure of `@alicloud/credentials` (metadata service, STS) to
 * hand out the credentials for calling KMS may pass with a retry.
 *
 * The library throws plain `Error`s whose message carries the HTTP status of
 * the metadata service (`get role name failed: GET … 404`, `get sts token
 * failed, httpStatus: 404, …`) or the STS answer body (`refresh session token
 * failed: {"Code":"NoPermission",…}`). A 4xx other than 429 and an STS code
 * other than throttling/unavailable/internal is a configuration error (role
 * not attached, wrong `credentials_role_name`, key without permission): a
 * retry cannot help, so the first request does not wait through the backoff.
 * Anything unrecognised (network errors, timeouts, 5xx) stays retryable.
 */
export function isRetryableCredentialsFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  const message = error.message;
  if (/the access key secret is invalid/i.test(message)) return false;
  const status = /(?:failed with|httpStatus:|failed: \S+ \S+) ?(\d{3})\b/.exec(message)?.[1];
  if (status !== undefined) return isRetryableStatus(Number(status));
  const code = /"Code"\s*:\s*"([^"]+)"/.exec(message)?.[1];
  if (code !== undefined) return /^(throttling|serviceunavailable|internalerror)/i.test(code);
  return true;
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500 || status < 400;
}
