/**
 * Alibaba Cloud tea-openapi SDK clients that sign with the AccessKey held in a
 * KMS RAM secret: `createClient(config, ClientClass, secretName, options?)`.
 * @packageDocumentation
 */
export { createClient, closeClient } from './create-client.js';
export { UnsupportedClientError } from './unsupported-client.js';
export type {
  CreateClientOptions,
  ClosableClient,
  ClientConstructor,
  ClientModule,
  ManagedClient,
} from './options.js';
// Re-exported so a per-call AbortSignal needs no import from the core: generated API methods take none.
export { withCallOptions } from 'managed-credentials';
