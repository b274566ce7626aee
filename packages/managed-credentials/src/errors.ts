/**
 * Error classes with stable `code`s. Messages name the key, file, endpoint or
 * secret at fault and never contain an AccessKeySecret, a ClientKey password or
 * private key material.
 */

/** Base class of every error this library throws. */
export class ManagedCredentialsError extends Error {
  /** Stable machine-readable code, e.g. `MC_CONFIG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where a configuration value came from. */
export type ConfigOrigin = 'file' | 'env' | 'object';

/**
 * A missing, malformed or contradictory configuration value. `key` names the
 * configuration key (e.g. `cache_client_region_id`), `file` the file involved.
 */
export class ConfigError extends ManagedCredentialsError {
  readonly key: string | undefined;
  readonly file: string | undefined;

  constructor(
    message: string,
    details: { key?: string; file?: string; code?: string; cause?: unknown } = {},
  ) {
    super(details.code ?? 'MC_CONFIG_INVALID', message, { cause: details.cause });
    this.key = details.key;
    this.file = details.file;
  }
}

/** The ClientKey file, its password or its PKCS#12 content cannot be used. */
export class ClientKeyError extends ConfigError {
  constructor(message: string, details: { key?: string; file?: string; cause?: unknown } = {}) {
    super(message, { ...details, code: 'MC_CLIENT_KEY_INVALID' });
  }
}

/** KMS did not return the secret (network, TLS, auth, throttling, not found …). */
export class SecretFetchError extends ManagedCredentialsError {
  readonly secretName: string;
  /** Error code KMS answered with (`Forbidden.ResourceNotFound`, `Throttling` …), if any. */
  readonly kmsCode: string | undefined;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  /** The endpoint (origin only) that failed, if a single one did. */
  readonly endpoint: string | undefined;
  /** Whether a retry with backoff may help (network, 5xx, throttling). */
  readonly retryable: boolean;

  constructor(
    message: string,
    details: {
      secretName: string;
      retryable: boolean;
      kmsCode?: string;
      httpStatus?: number;
      requestId?: string;
      endpoint?: string;
      cause?: unknown;
      code?: string;
    },
  ) {
    super(details.code ?? 'MC_SECRET_FETCH_FAILED', message, { cause: details.cause });
    this.secretName = details.secretName;
    this.kmsCode = details.kmsCode;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.endpoint = details.endpoint;
    this.retryable = details.retryable;
  }
}

/** The secret does not exist (or the caller may not see it): `Forbidden.ResourceNotFound`. */
export class SecretNotFoundError extends SecretFetchError {
  constructor(
    message: string,
    details: Omit<ConstructorParameters<typeof SecretFetchError>[1], 'retryable' | 'code'>,
  ) {
    super(message, { ...details, retryable: false, code: 'MC_SECRET_NOT_FOUND' });
  }
}

/** The secret value is not a usable RAM AccessKey (bad JSON, no key pair …). Never echoes the value. */
export class SecretFormatError extends ManagedCredentialsError {
  readonly secretName: string;

  constructor(message: string, details: { secretName: string; cause?: unknown }) {
    super('MC_SECRET_FORMAT_INVALID', message, { cause: details.cause });
    this.secretName = details.secretName;
  }
}

/** A synchronous read happened before the first fetch of the secret finished; await `ready()` first. */
export class NotReadyError extends ManagedCredentialsError {
  readonly secretName: string;

  constructor(secretName: string) {
    super(
      'MC_NOT_READY',
      `The AccessKey of secret "${secretName}" has not been fetched from KMS yet; await client.ready() (or provider.ready()) before synchronous use.`,
    );
    this.secretName = secretName;
  }
}

/** The provider was closed; create a new one (the default provider is re-created on demand). */
export class ProviderClosedError extends ManagedCredentialsError {
  constructor() {
    super('MC_PROVIDER_CLOSED', 'The managed-credentials provider has been closed.');
  }
}

/**
 * A call was rejected for an expired key and the key has been refreshed, but
 * the call cannot be sent again (its body was a stream that is now consumed).
 * The original SDK error is the `cause`; send the call again with a new body.
 */
export class NonReplayableCallError extends ManagedCredentialsError {
  readonly secretName: string;

  constructor(secretName: string, cause: unknown) {
    super(
      'MC_CALL_NOT_REPLAYABLE',
      `The call was rejected because the AccessKey of secret "${secretName}" had expired; the key has been refreshed, but the call cannot be retried because its body (a stream) was already consumed. Send it again.`,
      { cause },
    );
    this.secretName = secretName;
  }
}

/**
 * A call through the provider ran out of its own time budget (`timeoutMs`,
 * default 30 s) while waiting for the secret's key from KMS. `cause` is the
 * latest failed KMS attempt of that wait, when there was one. An abort by the
 * caller's own `AbortSignal` is not this error: it rejects with the signal's reason.
 */
export class CallTimeoutError extends ManagedCredentialsError {
  readonly secretName: string;
  readonly timeoutMs: number;

  constructor(secretName: string, timeoutMs: number, cause?: unknown) {
    super(
      'MC_TIMEOUT',
      `Waiting for the AccessKey of secret "${secretName}" from KMS took longer than the call's budget of ${timeoutMs} ms${
        cause instanceof Error ? ` (latest KMS failure: ${cause.message})` : ''
      }.`,
      cause === undefined ? undefined : { cause },
    );
    this.secretName = secretName;
    this.timeoutMs = timeoutMs;
  }
}

/** The codes of {@link KmsRequestRejectedError}. */
export type KmsRejectionCode = 'MC_KMS_ACCESS_DENIED' | 'MC_KMS_UNAUTHORIZED' | 'MC_KMS_INVALID_REQUEST';

/**
 * KMS refused the request for a reason a retry cannot fix, named by one of
 * the codes the official KMS SDKs list: the caller may not read the secret
 * (`Forbidden.NoPermission` → `MC_KMS_ACCESS_DENIED`), its credentials or
 * ClientKey were not accepted (`Unauthorized` → `MC_KMS_UNAUTHORIZED`), or
 * the request was malformed (`InvalidParam` → `MC_KMS_INVALID_REQUEST`).
 * Never retried; `kmsCode` carries the code KMS answered.
 */
export class KmsRequestRejectedError extends SecretFetchError {
  declare readonly code: KmsRejectionCode;

  constructor(
    message: string,
    details: Omit<ConstructorParameters<typeof SecretFetchError>[1], 'retryable' | 'code'> & {
      code: KmsRejectionCode;
    },
  ) {
    super(message, { ...details, retryable: false });
  }
}

/**
 * A KMS answer was larger than the plug-in accepts (1 MiB; a secret holds at
 * most 64 KB): something between the plug-in and KMS (a proxy, a captive
 * portal, a misrouted endpoint) answered instead. The answer was abandoned
 * unread; not retried, since the same endpoint would answer the same way.
 * Code `MC_KMS_ANSWER_TOO_LARGE`.
 */
export class KmsAnswerTooLargeError extends SecretFetchError {
  readonly maxBytes: number;

  constructor(details: { secretName: string; endpoint: string; maxBytes: number; httpStatus?: number }) {
    super(
      `KMS at ${details.endpoint} answered GetSecretValue for secret "${details.secretName}" with more than ${details.maxBytes} bytes; the answer was abandoned. Check that the endpoint is KMS and that no proxy answers in its place.`,
      {
        secretName: details.secretName,
        endpoint: details.endpoint,
        httpStatus: details.httpStatus,
        retryable: false,
        code: 'MC_KMS_ANSWER_TOO_LARGE',
      },
    );
    this.maxBytes = details.maxBytes;
  }
}
