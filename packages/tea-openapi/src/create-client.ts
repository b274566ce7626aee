import {
  createExpiredKeyJudge,
  getDefaultProvider,
  offerOpenApiClient,
  type CallOptions,
  type ExpiredKeyJudge,
  type Registration,
} from 'managed-credentials';
import { attachState, ManagedClientState, managedClientState, releaseClient } from './client-state.js';
import { managedClassOf } from './managed-class.js';
import type { ClientConstructor, ClientModule, CreateClientOptions, ManagedClient } from './options.js';
import { SecretBackedCredential } from './secret-credential.js';
import { rejectPopCoreClient } from './unsupported-client.js';

/**
 * A client dropped without `close()` still releases its claim on the secret
 * once it is garbage-collected, so a forgotten client does not keep the
 * provider refreshing a secret nobody uses. No unregister token (each costs an
 * entry of the registry's own map): releasing is idempotent, so a closed
 * client collected later releases nothing twice.
 */
const releaseOnCollect = new FinalizationRegistry<Registration>((registration) => registration.release());

/**
 * Builds a tea-openapi client (`@alicloud/ecs20140526` or any other generated
 * SDK client, on `@alicloud/openapi-core` or `@alicloud/openapi-client`) that
 * signs every request with the current AccessKey held in the KMS RAM secret
 * `secretName`, and retries a call once the key was rotated under it.
 *
 * Synchronous; the first request waits for the first KMS fetch.
 *
 * @param config - the client's own `Config` (endpoint, protocol, region …). Any
 *   `accessKeyId`, `accessKeySecret`, `securityToken`, `bearerToken` or
 *   `credential` in it is ignored; the caller's object is not modified.
 * @param ClientClass - the generated client class, e.g. the default export of `@alicloud/ecs20140526`
 *   (in Node's native ESM, pass the default import as it is: see the overload below).
 * @param secretName - name of the KMS secret holding the RAM user's AccessKey.
 * @returns an instance of `ClientClass` (`instanceof` holds) with the same
 *   methods, plus `close()` when the class has none (see {@link closeClient}).
 * @throws UnsupportedClientError for `@alicloud/pop-core`'s `RPCClient` / `ROAClient`
 *   (use `managed-credentials-pop-core`).
 *
 * @example
 * ```ts
 * import Ecs, * as $Ecs from '@alicloud/ecs20140526';
 * import { $OpenApiUtil } from '@alicloud/openapi-core';
 * const config = new $OpenApiUtil.Config({ regionId: 'cn-hangzhou' });
 * const ecs = createClient(config, Ecs, 'my-ram-secret');
 * await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }));
 * ```
 */
export function createClient<C extends ClientConstructor>(
  config: ConstructorParameters<C>[0],
  ClientClass: C,
  secretName: string,
  options?: CreateClientOptions,
): ManagedClient<C>;
/**
 * The same, given the generated package's module object instead of its class:
 * what `import Ecs from '@alicloud/ecs20140526'` yields in Node's native ESM
 * and in TypeScript with `module: NodeNext`, where a CommonJS package's default
 * import is its whole `module.exports` and the class sits at `.default`.
 *
 * @param module - the client package's module object (`{ default: ClientClass, … }`).
 * @returns an instance of `module.default`, as the class form returns.
 */
export function createClient<M extends ClientModule>(
  config: ConstructorParameters<M['default']>[0],
  module: M,
  secretName: string,
  options?: CreateClientOptions,
): ManagedClient<M['default']>;
export function createClient(
  config: unknown,
  clientClassOrModule: ClientConstructor | ClientModule,
  secretName: string,
  options: CreateClientOptions = {},
): object {
  const ClientClass = clientClassOf(clientClassOrModule);
  rejectPopCoreClient(ClientClass);
  if (typeof secretName !== 'string' || secretName === '') {
    throw new TypeError('createClient: secretName must be a non-empty string (the name of a KMS RAM secret)');
  }
  const provider = options.provider ?? getDefaultProvider();
  const credential = new SecretBackedCredential(provider, secretName);
  const Managed = managedClassOf(ClientClass);
  const client = new Managed(withCredential(config, credential) as never);

  // Before the first KMS fetch starts (register): the plug-in's KMS calls then go through the same SDK family.
  offerOpenApiClient(ClientClass);
  const registration = provider.register(secretName);
  attachState(
    client,
    new ManagedClientState(credential, provider, secretName, callOptionsOf(options), registration),
  );
  releaseOnCollect.register(client, registration);
  return client;
}

/**
 * Releases the claim a client made by {@link createClient} holds on its
 * secret; the provider stops refreshing the secret when its last client is
 * closed. Idempotent. Needed instead of `client.close()` only when the client
 * class has a `close` method of its own.
 * @throws TypeError when `client` was not made by {@link createClient}.
 */
export async function closeClient(client: object): Promise<void> {
  const state = managedClientState(client);
  if (state === undefined) {
    throw new TypeError('closeClient: this client was not created by createClient()');
  }
  releaseClient(state);
}

/**
 * The class itself, or the `default` of a CommonJS client package's module
 * object (Node's ESM loader does not unwrap `exports.default`; bundlers,
 * vitest and TypeScript's CommonJS output do).
 */
function clientClassOf(given: unknown): ClientConstructor {
  if (typeof given === 'function') return given as ClientConstructor;
  const fromModule: unknown =
    typeof given === 'object' && given !== null ? Reflect.get(given, 'default') : undefined;
  if (typeof fromModule === 'function') return fromModule as ClientConstructor;
  throw new TypeError(
    "createClient: the second argument must be the client class or its package's module (e.g. the default import of @alicloud/ecs20140526)",
  );
}

/**
 * A copy of the user's config (same class, so the SDK's own `Config` methods
 * still work) whose only credential is the secret-backed one: the clients
 * prefer `accessKeyId`/`accessKeySecret` and `bearerToken` over `credential`.
 */
function withCredential(config: unknown, credential: SecretBackedCredential): object {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError(
      "createClient: config must be the client's Config object (e.g. new $OpenApi.Config({ ... }))",
    );
  }
  const copy: Record<string, unknown> = Object.assign(
    Object.create(Object.getPrototypeOf(config) as object),
    config,
  );
  for (const field of ['accessKeyId', 'accessKeySecret', 'securityToken', 'bearerToken', 'type'])
    delete copy[field];
  copy['credential'] = credential;
  return copy;
}

/**
 * The call options of a client made with the default options, shared by all of them. The credential hands
 * the SDK the cached key when it asks (getCredential, or the id and secret getters read back to back
 * without a macrotask between them, so never of two generations): no call frame, and no
 * AsyncLocalStorage taxing every promise of the application.
 */
const DEFAULT_CALL_OPTIONS: CallOptions = Object.freeze({ trackCallContext: false });

function callOptionsOf(options: CreateClientOptions): CallOptions {
  const judge: ExpiredKeyJudge | undefined =
    options.isExpiredKeyError ??
    (options.treatUnauthorizedAsExpired
      ? createExpiredKeyJudge({ treatUnauthorizedAsExpired: true })
      : undefined);
  if (judge === undefined && options.maxRetries === undefined && options.timeoutMs === undefined) {
    return DEFAULT_CALL_OPTIONS;
  }
  const callOptions: CallOptions = { trackCallContext: false };
  if (judge !== undefined) callOptions.isExpiredKeyError = judge;
  if (options.maxRetries !== undefined) callOptions.maxRetries = options.maxRetries;
  if (options.timeoutMs !== undefined) callOptions.timeoutMs = options.timeoutMs;
  return callOptions;
}
