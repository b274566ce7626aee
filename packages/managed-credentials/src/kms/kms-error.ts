import { SecretFetchError, SecretNotFoundError } from '../errors.js';

/** Codes that mean "try again later" (SPEC §3); matched by prefix. */
const RETRYABLE_CODE_PREFIXES = ['throttling', 'serviceunavailable', 'rejected.throttling'];

/** Whether a KMS answer with this code and HTTP status is worth retrying (throttling, 429, 5xx). */
export function isRetryableKmsAnswer(kmsCode: string | undefined, httpStatus: number | undefined): boolean {
  const code = kmsCode?.toLowerCase() ?? '';
  if (RETRYABLE_CODE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
  return httpStatus !== undefined && (httpStatus === 429 || httpStatus >= 500);
}

/** The typed error for an error answer of GetSecretValue. */
export function kmsAnswerError(details: {
  secretName: string;
  endpoint: string;
  httpStatus: number;
  kmsCode: string | undefined;
  kmsMessage: string | undefined;
  requestId: string | undefined;
}): SecretFetchError {
  const { secretName, endpoint, httpStatus, kmsCode, requestId } = details;
  const what = `${kmsCode ?? 'an error'} (HTTP ${httpStatus}${requestId ? `, request id ${requestId}` : ''})`;
  const message = `KMS at ${endpoint} answered GetSecretValue for secret "${secretName}" with ${what}${
    details.kmsMessage ? `: ${details.kmsMessage}` : ''
  }`;
  const fields = { secretName, endpoint, httpStatus, kmsCode, requestId };
  if (kmsCode === 'Forbidden.ResourceNotFound') {
    return new SecretNotFoundError(message, fields);
  }
  return new SecretFetchError(message, { ...fields, retryable: isRetryableKmsAnswer(kmsCode, httpStatus) });
}

/** The typed error for a request that got no answer (refused, reset, DNS, TLS, timeout). */
export function kmsNetworkError(details: {
  secretName: string;
  endpoint: string;
  cause: unknown;
  timedOutAfterMs?: number;
}): SecretFetchError {
  const { secretName, endpoint, cause } = details;
  const reason =
    details.timedOutAfterMs !== undefined
      ? `no answer within ${details.timedOutAfterMs} ms`
      : cause instanceof Error
        ? `${(cause as NodeJS.ErrnoException).code ?? cause.name}: ${cause.message}`
        : String(cause);
  return new SecretFetchError(`GetSecretValue for secret "${secretName}" at ${endpoint} failed: ${reason}`, {
    secretName,
    endpoint,
    retryable: true,
    cause,
  });
}
