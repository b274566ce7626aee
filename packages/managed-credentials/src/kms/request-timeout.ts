/**
 * Default time limit of one KMS request (credentials, connect, TLS
 * handshake, answer), ms; config key `kms_request_timeout_ms`.
 * With 3 attempts per fetch and backoff ceilings of 2 s and 4 s between them,
 * a fetch that a caller waits on ends within a call's default 30 s budget
 * (for one region or instance; each further one in the failover order adds
 * up to this much per attempt).
 */
export const DEFAULT_KMS_REQUEST_TIMEOUT_MS = 8_000;

/**
 * Default time limit of the TCP (and TLS) connect of one KMS request, ms;
 * config key `kms_connect_timeout_ms`. Never more than the request limit.
 */
export const DEFAULT_KMS_CONNECT_TIMEOUT_MS = 5_000;
