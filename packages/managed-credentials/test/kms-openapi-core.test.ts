/**
 * SPEC §3 through `@alicloud/openapi-core`: when an application's tea-openapi
 * client offers its SDK family (the tea-openapi adapter's `createClient`
 * calls `offerOpenApiClient`), the plug-in's KMS calls go through that
 * family's `callApi` instead of `@alicloud/openapi-client`'s. Every KMS suite
 * must hold there too — whole answer body, classification, timeouts, CA,
 * ClientKey signing, STS and metadata credentials, abort, the answer cap and
 * secret hygiene — so this file offers `@alicloud/openapi-core`'s `Client`
 * and then imports those suites: each of their tests runs again here,
 * against the offered family (their modules share this file's module graph).
 */
import OpenApiCore from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { cjsDefault } from '../src/kms/cjs-default.js';
import { kmsOpenApiSdk, offerOpenApiClient, openApiBaseOf } from '../src/kms/openapi-sdk.js';

const CoreClient = cjsDefault(OpenApiCore);
// Offered when this file is collected, before the imported suites' tests run.
const accepted = offerOpenApiClient(CoreClient);

describe('offering an SDK family', () => {
  it('finds the tea-openapi Client a generated client extends, and ignores what is not one', () => {
    class GeneratedClient extends CoreClient {}
    class UserSubclass extends GeneratedClient {}
    expect(openApiBaseOf(UserSubclass)).toBe(CoreClient);
    expect(openApiBaseOf(class NotAClient {})).toBeUndefined();
    expect(openApiBaseOf({ callApi() {} })).toBeUndefined();
    expect(offerOpenApiClient(class NotAClient {})).toBe(false);
  });

  it('keeps the first family offered; the KMS calls of this file go through @alicloud/openapi-core', async () => {
    expect(accepted).toBe(true);
    expect(offerOpenApiClient(class Other extends CoreClient {})).toBe(false);
    expect((await kmsOpenApiSdk()).origin).toBe('offered');
  });
});

await import('./kms-shared-gateway.test.js');
await import('./kms-answers.test.js');
await import('./kms-network-options.test.js');
await import('./kms-request-params.test.js');
await import('./kms-sts-role.test.js');
await import('./kms-credentials-failure.test.js');
await import('./credentials-leak.test.js');
await import('./kms-request-tags.test.js');
