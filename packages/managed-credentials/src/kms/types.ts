/** What a GetSecretValue answer carries that the plug-in needs; the whole answer, not the typed subset. */
export interface SecretInfo {
  secretName: string;
  /** The secret value (a JSON document for RAM secrets). Never log it. */
  secretData: string;
  secretDataType: string;
  versionId: string;
  versionStages: string[];
  secretType?: string;
  /** Parsed `ExtendedConfig` (KMS returns a JSON string). */
  extendedConfig?: Record<string, unknown>;
  /** `Enabled` or `Disabled` (KMS sends it with the extended config, except for generic secrets). */
  automaticRotation?: string;
  /** As KMS writes it, e.g. `"86400s"`. */
  rotationInterval?: string;
  /** ISO date of the next automatic rotation, if any. */
  nextRotationDate?: string;
  createTime?: string;
  requestId?: string;
}

/**
 * Something that fetches one secret once: a shared-gateway client (with its
 * region failover), a dedicated-gateway client, or a composite. Retries with
 * backoff are layered on top by the cache; a source throws `SecretFetchError`
 * (with `retryable` set) or `SecretNotFoundError`.
 */
export interface SecretSource {
  getSecretValue(secretName: string, options?: { signal?: AbortSignal }): Promise<SecretInfo>;
  /** Releases sockets/agents; idempotent. */
  close?(): void;
}
