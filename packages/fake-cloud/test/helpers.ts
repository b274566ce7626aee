import EcsRamRoleProviderModule from '@alicloud/credentials/dist/src/providers/ecs_ram_role.js';
import OidcRoleArnProviderModule from '@alicloud/credentials/dist/src/providers/oidc_role_arn.js';
import RamRoleArnProviderModule from '@alicloud/credentials/dist/src/providers/ram_role_arn.js';
import StaticAkProviderModule from '@alicloud/credentials/dist/src/providers/static_ak.js';
import EcsModule from '@alicloud/ecs20140526';
import KmsModule from '@alicloud/kms20160120';
import OpenApiModule, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import EcsLegacyModule from 'ecs-legacy';

/**
 * The class a CommonJS `exports.default` holds. Node's ESM loader (and
 * TypeScript with NodeNext) give `module.exports` as the default import, so
 * the class is `.default`; vitest's loader already unwraps it.
 */
function cjsDefault<M extends { default: unknown }>(module: M): M['default'] {
  const unwrapped = (module as { default?: unknown }).default;
  return (unwrapped ?? module) as M['default'];
}

/** `@alicloud/kms20160120@1.2.0` (on `@alicloud/rpc-client`). */
export const Kms = cjsDefault(KmsModule);
/** The generic `@alicloud/openapi-client` client. */
export const OpenApi = cjsDefault(OpenApiModule);
/** `@alicloud/ecs20140526@7` (on `@alicloud/openapi-core`). */
export const Ecs = cjsDefault(EcsModule);
/** `@alicloud/ecs20140526@4` (on `@alicloud/openapi-client`). */
export const EcsLegacy = cjsDefault(EcsLegacyModule);
/** The `ecs_ram_role` provider of `@alicloud/credentials`. */
export const EcsRamRoleProvider = cjsDefault(EcsRamRoleProviderModule);
/** The `ram_role_arn` (AssumeRole), `oidc_role_arn` and static AK providers of `@alicloud/credentials`. */
export const RamRoleArnProvider = cjsDefault(RamRoleArnProviderModule);
export const OidcRoleArnProvider = cjsDefault(OidcRoleArnProviderModule);
export const StaticAkProvider = cjsDefault(StaticAkProviderModule);
type OpenApiClient = InstanceType<typeof OpenApi>;

/** `127.0.0.1:PORT` — the host part the tea clients take as `endpoint`. */
export function hostOf(endpoint: string): string {
  return new URL(endpoint).host;
}

export interface KmsCaller {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * The generic `@alicloud/openapi-client` client pointed at a fake-cloud KMS
 * endpoint. `signatureAlgorithm: 'v2'` selects the RPC HMAC-SHA1 path
 * (doRPCRequest); the default is ACS3-HMAC-SHA256 (doRequest).
 */
export function openApiKmsClient(
  endpoint: string,
  caller: KmsCaller,
  extra: { signatureAlgorithm?: string } = {},
): OpenApiClient {
  const url = new URL(endpoint);
  return new OpenApi(
    new $OpenApi.Config({
      ...caller,
      endpoint: url.host,
      protocol: url.protocol.replace(':', ''),
      regionId: 'cn-hangzhou',
      ...extra,
    }),
  );
}

/** What `callApi` needs to know of KMS GetSecretValue: an RPC action whose parameters may go in a form body. */
export function getSecretValueParams(protocol = 'HTTPS'): $OpenApi.Params {
  return new $OpenApi.Params({
    action: 'GetSecretValue',
    version: '2016-01-20',
    protocol,
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
}

/** GetSecretValue through the generic `callApi`, which keeps the whole answer body. */
export async function callGetSecretValue(
  client: OpenApiClient,
  query: Record<string, string>,
  runtime: Partial<$Util.RuntimeOptions> = {},
): Promise<Record<string, unknown>> {
  const response = (await client.callApi(
    getSecretValueParams(),
    new $OpenApi.OpenApiRequest({ query }),
    new $Util.RuntimeOptions({ autoretry: false, ...runtime }),
  )) as { body: Record<string, unknown> };
  return response.body;
}

/** What the tests read from a tea client error. */
export interface TeaFailure {
  code?: string;
  data?: Record<string, unknown>;
  message: string;
  /** HTTP status: openapi-core puts it on the error, openapi-client in `data.statusCode`. */
  status: number | undefined;
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<TeaFailure> {
  try {
    await promise;
  } catch (error) {
    const failure = error as Omit<TeaFailure, 'status'> & { statusCode?: number };
    const status = failure.statusCode ?? (failure.data?.['statusCode'] as number | undefined);
    return Object.assign(failure, { status });
  }
  throw new Error('expected the call to fail, but it succeeded');
}
