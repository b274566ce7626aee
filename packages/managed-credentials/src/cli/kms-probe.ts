import { SecretFetchError, SecretNotFoundError } from '../errors.js';
import type { SecretSource } from '../kms/types.js';
import { errorReport, type KmsReport } from './doctor-report.js';

/**
 * The secret the doctor asks KMS for when no secret is named. KMS checks a
 * request in order: the signature and the caller's AccessKey (or STS token),
 * then the RAM policy, then whether the secret exists. So "this secret does
 * not exist" (or "your policy does not allow it") can only come back to a
 * caller KMS has authenticated, while a wrong AccessKeySecret, an unknown or
 * disabled key or an expired token is refused before that. A fixed name keeps
 * the probe easy to recognise in ActionTrail.
 */
export const PROBE_SECRET_NAME = 'managed-credentials-doctor-probe';

/** KMS codes that say the caller was not authenticated. */
const AUTH_REJECTED =
  /^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|InvalidSecurityToken|MissingSecurityToken|Forbidden\.AccessKey|InvalidTimeStamp|SignatureNonceUsed|Unauthorized|InvalidClientKey|Rejected\.Unauthorized)/i;
/** KMS codes that say an authenticated caller may not read that secret. */
const PERMISSION_DENIED =
  /^(Forbidden|Forbidden\.NoPermission|Forbidden\.RAM.*|NoPermission.*|Forbidden\.Unauthorized)$/i;

/** Asks KMS for {@link PROBE_SECRET_NAME} once and says what the answer proves about the credentials. */
export async function probeKms(source: SecretSource, timeoutMs: number): Promise<KmsReport> {
  const report = { method: 'probe', probeSecretName: PROBE_SECRET_NAME } as const;
  try {
    await source.getSecretValue(PROBE_SECRET_NAME, { signal: AbortSignal.timeout(timeoutMs) });
    return {
      ...report,
      status: 'authenticated',
      explanation: `KMS returned a secret named ${PROBE_SECRET_NAME}: the credentials work.`,
    };
  } catch (error) {
    if (error instanceof SecretNotFoundError) {
      return {
        ...report,
        status: 'authenticated',
        explanation:
          `KMS verified the signature and the caller, then answered that ${PROBE_SECRET_NAME} does not exist` +
          `${error.kmsCode ? ` (${error.kmsCode})` : ''}: the credentials work. Name a secret (--secret) to check access to it.`,
      };
    }
    const kmsCode = error instanceof SecretFetchError ? error.kmsCode : undefined;
    if (kmsCode !== undefined && !AUTH_REJECTED.test(kmsCode) && PERMISSION_DENIED.test(kmsCode)) {
      return {
        ...report,
        status: 'authenticated',
        explanation:
          `KMS authenticated the caller but its RAM policy does not allow ${PROBE_SECRET_NAME} (${kmsCode}), ` +
          'as with a policy scoped to your secrets: the credentials work. Name a secret (--secret) to check access to it.',
      };
    }
    const explanation =
      kmsCode !== undefined && AUTH_REJECTED.test(kmsCode)
        ? `KMS rejected the credentials (${kmsCode}): check the AccessKey pair, ClientKey or role the configuration names.`
        : error instanceof SecretFetchError && error.retryable
          ? 'KMS could not be reached or did not answer: check the region, endpoint, network (VPC endpoint?) and --timeout.'
          : 'KMS did not authenticate the request: see the error.';
    return { ...report, status: 'failed', explanation, error: errorReport(error) };
  }
}
