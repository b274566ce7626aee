import type { ClientKeyRecord, ClientKeyStore } from '../types.js';

/** Public halves of the ClientKeys registered with KMS (shared gateway and KMS instance). */
export class ClientKeyRegistry implements ClientKeyStore {
  readonly #keys = new Map<string, ClientKeyRecord>();

  register(record: ClientKeyRecord): void {
    this.#keys.set(record.keyId, { keyId: record.keyId, publicKeyPem: record.publicKeyPem });
  }

  /** Forgets a ClientKey; requests signed with it are then answered as from an unknown key. */
  remove(keyId: string): boolean {
    return this.#keys.delete(keyId);
  }

  get(keyId: string): ClientKeyRecord | undefined {
    return this.#keys.get(keyId);
  }
}
