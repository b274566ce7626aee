/**
 * Alibaba Cloud tea-openapi SDK clients that sign with the AccessKey held in a
 * KMS RAM secret: `createClient(config, ClientClass, secretName, options?)`.
 * @packageDocumentation
 */
export { createClient, closeClient } from './create-client.js';
export type { CreateClientOptions, ClosableClient, ClientConstructor, ManagedClient } from './options.js';
