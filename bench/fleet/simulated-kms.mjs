// @ts-check
import { SecretFetchError } from 'managed-credentials';

/**
 * A KMS GetSecretValue for the fleet: answers after `latencyMs` of virtual
 * time, serves at most `limitPerSecond` requests in each virtual second and
 * answers `Rejected.Throttling` (a retryable SecretFetchError) above it, or
 * 503 during an outage. Counts every request offered, per second.
 */
export class SimulatedKms {
  /** @type {Map<number, number>} requests offered per virtual second */
  offered = new Map();
  /** @type {Map<number, number>} */
  throttledPerSecond = new Map();
  requests = 0;
  throttled = 0;
  unavailable = 0;
  /** @type {{ id: string, secret: string, version: string }} */
  current;
  outage = false;
  #time;
  #limit;
  #latencyMs;
  #secretInfo;

  /**
   * @param {{ time: import('./virtual-time.mjs').VirtualTime, limitPerSecond: number, latencyMs: number,
   *   key: { id: string, secret: string, version: string }, secretInfo: () => Record<string, unknown> }} options
   */
  constructor(options) {
    this.#time = options.time;
    this.#limit = options.limitPerSecond;
    this.#latencyMs = options.latencyMs;
    this.current = options.key;
    this.#secretInfo = options.secretInfo;
  }

  /**
   * @param {string} secretName
   * @returns {Promise<import('managed-credentials').SecretInfo>}
   */
  getSecretValue(secretName) {
    this.requests += 1;
    const second = Math.floor(this.#time.monotonic() / 1000);
    const inSecond = (this.offered.get(second) ?? 0) + 1;
    this.offered.set(second, inSecond);
    const key = this.current;
    /** @type {() => unknown} */
    let answer;
    if (this.outage) {
      this.unavailable += 1;
      answer = () => {
        throw new SecretFetchError('KMS answered 503', { secretName, retryable: true, httpStatus: 503 });
      };
    } else if (inSecond > this.#limit) {
      this.throttled += 1;
      this.throttledPerSecond.set(second, (this.throttledPerSecond.get(second) ?? 0) + 1);
      answer = () => {
        throw new SecretFetchError('KMS throttled the request', {
          secretName,
          retryable: true,
          kmsCode: 'Rejected.Throttling',
          httpStatus: 400,
        });
      };
    } else {
      answer = () => ({
        secretName,
        secretData: JSON.stringify({ AccessKeyId: key.id, AccessKeySecret: key.secret }),
        secretDataType: 'text',
        versionId: key.version,
        versionStages: ['ACSCurrent'],
        ...this.#secretInfo(),
      });
    }
    return new Promise((resolve, reject) => {
      this.#time.setTimeout(() => {
        try {
          resolve(/** @type {import('managed-credentials').SecretInfo} */ (answer()));
        } catch (error) {
          reject(error);
        }
      }, this.#latencyMs);
    });
  }
}
