/**
 * Default time limit of one KMS request (connect, TLS handshake, answer), ms.
 * With 3 attempts per fetch and backoff ceilings of 2 s and 4 s between them,
 * a fetch that a caller waits on ends within a call's default 30 s budget
 * (for one region or instance; each further one in the failover order adds
 * up to this much per attempt).
 */
export const DEFAULT_KMS_REQUEST_TIMEOUT_MS = 8_000;
