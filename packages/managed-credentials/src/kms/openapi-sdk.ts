import { cjsDefault } from './cjs-default.js';

/** The slice of a tea-openapi `Client` (either SDK family) the shared-gateway call uses. */
export interface OpenApiClient {
  callApi(params: object, request: object, runtime: object): Promise<unknown>;
}

/** A tea-openapi `Client` class: `@alicloud/openapi-core`'s or `@alicloud/openapi-client`'s. */
export type OpenApiClientClass = new (config: object) => OpenApiClient;

/** The SDK family the shared-gateway call goes through: its client and request models. */
export interface OpenApiSdk {
  /** `@alicloud/openapi-client`, or `offered` (the base class of an application's client). */
  readonly origin: '@alicloud/openapi-client' | 'offered';
  client(config: Record<string, unknown>): OpenApiClient;
  request(fields: Record<string, unknown>): object;
  params(fields: Record<string, unknown>): object;
}

/** The methods both families' `Client` defines itself (a generated client inherits them). */
const BASE_METHODS = ['callApi', 'doRequest', 'doRPCRequest'] as const;

let offered: OpenApiSdk | undefined;
let bundled: Promise<OpenApiSdk> | undefined;

/**
 * The tea-openapi `Client` class that `clientClass` (a generated SDK client,
 * e.g. `@alicloud/ecs20140526`) extends: the uppermost class in its chain
 * that defines `callApi`, `doRequest` and `doRPCRequest` itself.
 */
export function openApiBaseOf(clientClass: unknown): OpenApiClientClass | undefined {
  let base: OpenApiClientClass | undefined;
  for (let c: unknown = clientClass; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    const prototype: unknown = (c as { prototype?: unknown }).prototype;
    if (typeof prototype !== 'object' || prototype === null) continue;
    const own = (name: string): boolean =>
      Object.hasOwn(prototype, name) && typeof Reflect.get(prototype, name) === 'function';
    if (BASE_METHODS.every(own)) base = c as OpenApiClientClass;
  }
  return base;
}

/**
 * Offers the SDK family of an application's tea-openapi client for the
 * plug-in's own KMS calls (the tea-openapi adapter does this in
 * `createClient`). An application on `@alicloud/openapi-core` then does not
 * load `@alicloud/openapi-client` (and its `tea-util`, `openapi-util`,
 * `tea-xml`) just for the plug-in, and its first KMS call warms up the very
 * code its own first call runs. The first class offered is kept; a class that
 * is not a tea-openapi client is ignored. The call is the same `callApi`
 * (`GetSecretValue`, RPC, `bodyType: 'json'`: the whole answer body) with the
 * same runtime options (timeouts, CA, no SDK retries) in both families.
 *
 * @param clientClass - a generated client class, e.g. the default export of `@alicloud/ecs20140526`.
 * @returns whether the plug-in now uses that family.
 */
export function offerOpenApiClient(clientClass: unknown): boolean {
  if (offered !== undefined) return false;
  const Base = openApiBaseOf(clientClass);
  if (Base === undefined) return false;
  offered = {
    origin: 'offered',
    // Both families read plain fields of the config, request and params (no model methods).
    client: (config) => new Base(config),
    request: (fields) => fields,
    params: (fields) => fields,
  };
  return true;
}

/**
 * The SDK family for a KMS attempt: the offered one, else
 * `@alicloud/openapi-client` (our dependency), loaded on first use.
 */
export function kmsOpenApiSdk(): Promise<OpenApiSdk> {
  if (offered !== undefined) return Promise.resolve(offered);
  bundled ??= import('@alicloud/openapi-client').then((module) => {
    const Client = cjsDefault(module.default);
    return {
      origin: '@alicloud/openapi-client',
      client: (config) => new Client(new module.Config(config)),
      request: (fields) => new module.OpenApiRequest(fields),
      params: (fields) => new module.Params(fields),
    } satisfies OpenApiSdk;
  });
  return bundled;
}
