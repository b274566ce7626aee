import { SecretFetchError } from '../../errors.js';

const TLS_ERROR_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_|ERR_SSL_|HOSTNAME|ALTNAME/;

/** Whether a request failed in the TLS handshake (untrusted issuer, host-name mismatch, expired …). */
export function isTlsFailure(error: unknown): error is Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && TLS_ERROR_CODE.test(code);
}

/**
 * The error for a KMS instance whose certificate could not be verified: names
 * the endpoint and the setting to check. Retryable, so that the next
 * configured instance is tried; the cause is kept.
 */
export function tlsFailureError(details: {
  secretName: string;
  endpoint: string;
  caConfigured: boolean;
  cause: Error;
}): SecretFetchError {
  const { secretName, endpoint, cause } = details;
  const code = (cause as NodeJS.ErrnoException).code ?? cause.name;
  const hint = details.caConfigured
    ? 'check that caFilePath / caCert of this instance in cache_client_dkms_config_info holds the CA that issued its certificate'
    : 'set caFilePath (the CA certificate of the KMS instance) for this instance in cache_client_dkms_config_info';
  return new SecretFetchError(
    `TLS verification of the KMS instance ${endpoint} failed while fetching secret "${secretName}" (${code}: ${cause.message}); ${hint}.`,
    { secretName, endpoint, retryable: true, cause, code: 'MC_TLS_VERIFICATION_FAILED' },
  );
}
