export { createClient, closeClient } from './create-client.js';
export type { CreateClientOptions, ClosableClient, ClientConstructor, ManagedClient } from './options.js';
