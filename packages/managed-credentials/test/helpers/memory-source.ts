import { SecretNotFoundError, type SecretInfo, type SecretSource } from '../../src/index.js';

/** An in-memory KMS: one current version per secret, scripted failures, a call counter, gated answers. */
export class MemorySource implements SecretSource {
  calls = 0;
  readonly failures: Error[] = [];
  #versions = new Map<string, { id: string; secret: string; version: number }>();
  #gate: Promise<void> | undefined;
  #openGate: (() => void) | undefined;

  put(name: string, id: string, secret: string): void {
    const version = (this.#versions.get(name)?.version ?? 0) + 1;
    this.#versions.set(name, { id, secret, version });
  }

  /** Holds every answer until `release()`. */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#openGate = resolve));
  }

  release(): void {
    this.#openGate?.();
    this.#gate = undefined;
  }

  async getSecretValue(secretName: string): Promise<SecretInfo> {
    this.calls += 1;
    await this.#gate;
    const failure = this.failures.shift();
    if (failure) throw failure;
    const current = this.#versions.get(secretName);
    if (!current) throw new SecretNotFoundError(`secret "${secretName}" not found`, { secretName });
    return {
      secretName,
      secretData: JSON.stringify({ AccessKeyId: current.id, AccessKeySecret: current.secret }),
      secretDataType: 'text',
      versionId: `v${current.version}`,
      versionStages: ['ACSCurrent'],
      secretType: 'Generic',
    };
  }
}
