/**
 * The two tea-openapi client families under test, pointed at the fake cloud's
 * ECS over plain HTTP: `endpoint` is `host:port` and `protocol: 'http'`
 * overrides the `HTTPS` each generated API method asks for.
 */
import EcsModule, * as $Ecs from '@alicloud/ecs20140526';
import EcsLegacyModule, * as $EcsLegacy from 'ecs-legacy';
import OpenApiCore, { $OpenApiUtil } from '@alicloud/openapi-core';
import OpenApiClient, * as $OpenApi from '@alicloud/openapi-client';

/**
 * The class a CommonJS `exports.default` holds. Node's ESM loader (and
 * TypeScript with NodeNext) give `module.exports` as the default import, so the
 * class is `.default`; vitest's loader already unwraps it.
 */
export function cjsDefault<M extends { default: unknown }>(module: M): M['default'] {
  const unwrapped = (module as { default?: unknown }).default;
  return (unwrapped ?? module) as M['default'];
}

/** `@alicloud/ecs20140526@7`, on `@alicloud/openapi-core`. */
export const Ecs = cjsDefault(EcsModule);
/** `@alicloud/ecs20140526@4`, on `@alicloud/openapi-client`. */
export const EcsLegacy = cjsDefault(EcsLegacyModule);
export const OpenApiCoreClient = cjsDefault(OpenApiCore);
export const OpenApiClientBase = cjsDefault(OpenApiClient);

export { $Ecs, $EcsLegacy };

/** `http://127.0.0.1:1234` → `127.0.0.1:1234`. */
export function hostOf(endpoint: string): string {
  return new URL(endpoint).host;
}

export const REGION = 'cn-hangzhou';

export function latestConfig(endpoint: string): $OpenApiUtil.Config {
  return new $OpenApiUtil.Config({ endpoint: hostOf(endpoint), protocol: 'http', regionId: REGION });
}

export function legacyConfig(endpoint: string): $OpenApi.Config {
  return new $OpenApi.Config({ endpoint: hostOf(endpoint), protocol: 'http', regionId: REGION });
}
