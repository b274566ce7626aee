import { KmsAnswerTooLargeError, SecretFetchError } from '../errors.js';
import { isRetryableCredentialsFailure } from './credentials-failure.js';
import { CredentialsFailure, credentialsFailureSummary } from './credentials-failure-summary.js';
import { kmsAnswerError, kmsNetworkError } from './kms-error.js';
import { isTlsFailure } from './dedicated/tls-failure.js';
import { CredentialsUnavailable } from './kms-caller.js';
import type { RequestWatch } from './request-watch.js';
import { safeText, type KnownValues } from './safe-text.js';

/** What is known about the failed attempt besides the SDK's error. */
export interface AttemptContext {
  secretName: string;
  endpoint: string;
  /** `ecs_ram_role my-role`, `client_key KAAP.…`: names the caller in credential failures. */
  callerDescription: string;
  watch: RequestWatch;
  known: KnownValues;
}

/**
 * Turns whatever the SDK threw for one GetSecretValue attempt into our typed
 * error. The SDK's error object is never kept or quoted as is: its message
 * may carry the request URL (`httpx` appends `POST <url> failed.`), its
 * `data` the whole answer body (a `SignatureDoesNotMatch` answer quotes the
 * string-to-sign), and a JSON parser's message quotes the body it choked on.
 * Only the code, status, request id and a scrubbed message (see
 * {@link safeText}) are carried over; `cause` is a plain stand-in.
 */
export function sdkFailureError(error: unknown, attempt: AttemptContext): SecretFetchError {
  const { secretName, endpoint, watch, known } = attempt;
  if (watch.answerTooLarge) {
    return new KmsAnswerTooLargeError({
      secretName,
      endpoint,
      maxBytes: watch.maxAnswerBytes,
      httpStatus: watch.kmsStatus,
    });
  }
  if (error instanceof CredentialsUnavailable) {
    // An unreachable metadata service or STS is transient; a refusal (role not attached, no permission) is not.
    // The library's message may quote the STS answer (credentials included): only a summary is kept.
    return new SecretFetchError(
      `Cannot obtain ${attempt.callerDescription} credentials to call KMS at ${endpoint} for secret "${secretName}": ${credentialsFailureSummary(error.failure)}`,
      {
        secretName,
        endpoint,
        retryable: isRetryableCredentialsFailure(error.failure),
        cause: new CredentialsFailure(attempt.callerDescription, error.failure),
      },
    );
  }
  const data = answerData(error);
  if (data !== undefined) {
    const text = (key: string): string | undefined => {
      const value = data[key] ?? data[key.charAt(0).toLowerCase() + key.slice(1)];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const message = text('Message');
    return kmsAnswerError({
      secretName,
      endpoint,
      httpStatus: numberOr(data['statusCode'], watch.kmsStatus ?? 0),
      kmsCode: text('Code'),
      kmsMessage: message === undefined ? undefined : safeText(message, known),
      requestId: text('RequestId'),
    });
  }
  if (watch.kmsStatus !== undefined) {
    // An answer arrived but the SDK could not read it as JSON: a proxy's or load balancer's page.
    const status = watch.kmsStatus;
    return kmsAnswerError({
      secretName,
      endpoint,
      httpStatus: status,
      kmsCode: undefined,
      kmsMessage:
        status >= 200 && status < 300 ? 'an answer that is not a KMS JSON answer' : 'a non-JSON answer',
      requestId: undefined,
    });
  }
  const reason = networkReason(error, known);
  const hint = isTlsFailure(error)
    ? "; check kms_ca_file_path (the CA that issued the endpoint's certificate) or the endpoint's host name"
    : '';
  return kmsNetworkError({
    secretName,
    endpoint,
    reason: `${reason}${hint}`,
    cause: new SdkTransportFailure(reason),
  });
}

/** The error answer body the SDK attaches (`err.data`, with `statusCode` added), if it is one. */
function answerData(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof Error)) return undefined;
  const data = (error as { data?: unknown }).data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const record = data as Record<string, unknown>;
  return 'statusCode' in record || 'Code' in record || 'code' in record ? record : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
}

function networkReason(error: unknown, known: KnownValues): string {
  if (!(error instanceof Error)) return 'non-Error failure';
  const code = (error as NodeJS.ErrnoException).code;
  const label = typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : error.name;
  return `${label}: ${safeText(error.message, known, 160)}`;
}

/** Stands in for a transport error of the SDK as `cause`: its scrubbed description, never the original. */
export class SdkTransportFailure extends Error {
  constructor(description: string) {
    super(description);
    this.name = 'SdkTransportFailure';
  }
}
