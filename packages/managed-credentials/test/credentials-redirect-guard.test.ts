/**
 * `credentials_metadata_endpoint` (and fake-cloud's `metadata.redirect` /
 * `sts.redirect`, and the `stsEndpoint` test hook) re-target the real
 * `@alicloud/credentials` providers by wrapping their private `doRequest`
 * field (kms/redirect-credentials-requests.ts). That field is not public
 * API: this guard fails loudly, naming what breaks, when an upgrade of the
 * library renames or removes it — `@alicloud/credentials` has a caret range.
 */
import {
  ECSRAMRoleCredentialsProvider,
  OIDCRoleArnCredentialsProvider,
  RAMRoleARNCredentialsProvider,
  StaticAKCredentialsProvider,
} from '@alicloud/credentials';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectCredentialsRequests } from '../src/kms/redirect-credentials-requests.js';

const BROKEN =
  '@alicloud/credentials no longer has the private `doRequest` field that credentials_metadata_endpoint and ' +
  'fake-cloud redirect (kms/redirect-credentials-requests.ts): adapt the redirection or pin the library.';

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await startFakeCloud({ roleName: 'guard-role' });
});
afterAll(() => cloud.close());

describe('the private field credentials_metadata_endpoint relies on', () => {
  it.each([
    [
      'ECSRAMRoleCredentialsProvider',
      () => ECSRAMRoleCredentialsProvider.builder().withRoleName('r').build(),
    ],
    [
      'RAMRoleARNCredentialsProvider',
      () =>
        RAMRoleARNCredentialsProvider.builder()
          .withCredentialsProvider(
            StaticAKCredentialsProvider.builder().withAccessKeyId('LTAI-x').withAccessKeySecret('y').build(),
          )
          .withRoleArn('acs:ram::1:role/r')
          .build(),
    ],
    [
      'OIDCRoleArnCredentialsProvider',
      () =>
        OIDCRoleArnCredentialsProvider.builder()
          .withRoleArn('acs:ram::1:role/r')
          .withOIDCProviderArn('acs:ram::1:oidc-provider/p')
          .withOIDCTokenFilePath('/nonexistent/token')
          .build(),
    ],
  ])('%s still has an own doRequest function', (_name, build) => {
    const provider = build() as unknown as { doRequest?: unknown };
    expect(typeof provider.doRequest, BROKEN).toBe('function');
    expect(Object.hasOwn(provider, 'doRequest'), BROKEN).toBe(true);
  });

  it('a redirected ECS RAM role provider gets its credentials from the given metadata origin', async () => {
    const provider = ECSRAMRoleCredentialsProvider.builder().withRoleName('guard-role').build();
    redirectCredentialsRequests(provider, cloud.metadata.endpoint);
    const before = cloud.counters.count({ service: 'metadata', action: 'GetRoleCredentials', outcome: 'ok' });
    const credentials = await provider.getCredentials();
    expect(credentials.accessKeyId, BROKEN).toBe(cloud.metadata.currentCredentials()?.accessKeyId);
    expect(cloud.counters.count({ service: 'metadata', action: 'GetRoleCredentials', outcome: 'ok' })).toBe(
      before + 1,
    );
  });

  it('a provider without the field is refused at once, not silently sent to the real endpoint', () => {
    expect(() => redirectCredentialsRequests({}, cloud.metadata.endpoint)).toThrow(/no doRequest/);
  });
});
