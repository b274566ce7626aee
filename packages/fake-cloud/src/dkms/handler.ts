// PLACEHOLDER: the KMS instance API emulator (owned by the dedicated-gateway work) replaces this file.
import type { ClientKeyStore, SecretStore, ServiceHandler } from '../types.js';

export interface DkmsContext {
  clientKeys: ClientKeyStore;
  secrets: SecretStore;
}

/** Serves the KMS instance API (protobuf over HTTPS, RSA-signed with a ClientKey). */
export function createDkmsHandler(_ctx: DkmsContext): ServiceHandler {
  return (_req, _body, res) => {
    res.writeHead(501).end();
  };
}
