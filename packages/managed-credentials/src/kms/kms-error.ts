import { KmsRequestRejectedError, SecretFetchError, SecretNotFoundError } from '../errors.js';

/** Codes that mean "try again later" (SPEC §3); matched by prefix, whatever the HTTP status. */
const RETRYABLE_CODE_PREFIXES = ['throttling', 'serviceunavailable', 'rejected.throttling'];

/**
 * Codes the official KMS SDKs retry by name, whatever the HTTP status
 * (aliyun-secretsmanager-client, the KMS-instance SDKs' `BackoffUtils`).
 */
const RETRYABLE_CODES = new Set(['rejected.throttling', 'serviceunavailabletemporary', 'internalfailure']);

/** Codes that mean "the secret is not there" (shared gateway; KMS instance). */
const NOT_FOUND_CODES = new Set(['Forbidden.ResourceNotFound', 'Forbidden.KeyNotFound']);

/** Codes the KMS-instance SDKs list, mapped to a typed refusal; see {@link KmsRequestRejectedError}. */
const REJECTION_CODES: Readonly<Record<string, { code: KmsRequestRejectedError['code']; hint: string }>> = {
  'Forbidden.NoPermission': {
    code: 'MC_KMS_ACCESS_DENIED',
    hint: 'grant the caller kms:GetSecretValue on this secret (RAM policy, or the application access point of the ClientKey)',
  },
  Unauthorized: {
    code: 'MC_KMS_UNAUTHORIZED',
    hint: 'KMS did not accept the credentials: check the ClientKey (expired or deleted?), its KeyId and the clock',
  },
  InvalidParam: {
    code: 'MC_KMS_INVALID_REQUEST',
    hint: 'KMS rejected a parameter of the request: check the secret name and the endpoint',
  },
};

/** Whether a KMS answer with this code and HTTP status is worth retrying (throttling, unavailable, internal failure, 429, 5xx). */
export function isRetryableKmsAnswer(kmsCode: string | undefined, httpStatus: number | undefined): boolean {
  const code = kmsCode?.toLowerCase() ?? '';
  if (RETRYABLE_CODES.has(code)) return true;
  if (RETRYABLE_CODE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
  // A code KMS names as definite stays definite even with a 5xx status.
  if (kmsCode !== undefined && (NOT_FOUND_CODES.has(kmsCode) || kmsCode in REJECTION_CODES)) return false;
  return httpStatus !== undefined && (httpStatus === 429 || httpStatus >= 500);
}

/** The typed error for an error answer of GetSecretValue. `kmsMessage` must already be safe to show. */
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
  const rejection = kmsCode === undefined ? undefined : REJECTION_CODES[kmsCode];
  const message = `KMS at ${endpoint} answered GetSecretValue for secret "${secretName}" with ${what}${
    details.kmsMessage ? `: ${details.kmsMessage}` : ''
  }${rejection ? `; ${rejection.hint}.` : ''}`;
  const fields = { secretName, endpoint, httpStatus, kmsCode, requestId };
  if (kmsCode !== undefined && NOT_FOUND_CODES.has(kmsCode)) {
    return new SecretNotFoundError(message, fields);
  }
  if (rejection !== undefined && !isRetryableKmsAnswer(kmsCode, httpStatus)) {
    return new KmsRequestRejectedError(message, { ...fields, code: rejection.code });
  }
  return new SecretFetchError(message, { ...fields, retryable: isRetryableKmsAnswer(kmsCode, httpStatus) });
}

/** The typed error for a request that got no answer (refused, reset, DNS, TLS, timeout). `reason` must be safe to show. */
export function kmsNetworkError(details: {
  secretName: string;
  endpoint: string;
  reason: string;
  cause?: unknown;
}): SecretFetchError {
  const { secretName, endpoint } = details;
  return new SecretFetchError(
    `GetSecretValue for secret "${secretName}" at ${endpoint} failed: ${details.reason}`,
    {
      secretName,
      endpoint,
      retryable: true,
      cause: details.cause,
    },
  );
}

/** A request that took longer than its time limit. */
export function kmsTimeoutError(details: {
  secretName: string;
  endpoint: string;
  timeoutMs: number;
}): SecretFetchError {
  return kmsNetworkError({ ...details, reason: `no answer within ${details.timeoutMs} ms` });
}
