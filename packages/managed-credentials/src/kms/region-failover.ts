import { SecretFetchError } from '../errors.js';
import type { SecretInfo, SecretSource } from './types.js';

/**
 * Tries several sources (regions, KMS instances) in order of preference. A
 * retryable failure (network, timeout, 5xx, throttling) moves on to the next;
 * the first answer wins. A definite answer — "not found", "forbidden", a bad
 * parameter — stops the walk: asking another region would not change it.
 */
export class RegionFailoverSource implements SecretSource {
  readonly #sources: readonly SecretSource[];

  constructor(sources: readonly SecretSource[]) {
    if (sources.length === 0) throw new Error('RegionFailoverSource needs at least one source.');
    this.#sources = sources;
  }

  async getSecretValue(secretName: string, options: { signal?: AbortSignal } = {}): Promise<SecretInfo> {
    const failures: SecretFetchError[] = [];
    for (const source of this.#sources) {
      try {
        return await source.getSecretValue(secretName, options);
      } catch (error) {
        if (!(error instanceof SecretFetchError) || !error.retryable || options.signal?.aborted) throw error;
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    const last = failures[failures.length - 1] as SecretFetchError;
    throw new SecretFetchError(
      `Every KMS endpoint failed for secret "${secretName}": ${failures.map((failure) => failure.message).join('; ')}`,
      {
        secretName,
        retryable: true,
        kmsCode: last.kmsCode,
        httpStatus: last.httpStatus,
        requestId: last.requestId,
        cause: new AggregateError(failures, 'KMS endpoint failures'),
      },
    );
  }

  close(): void {
    for (const source of this.#sources) source.close?.();
  }
}
