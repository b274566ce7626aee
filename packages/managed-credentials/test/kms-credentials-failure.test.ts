import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ManagedCredentialsProvider, SecretFetchError } from '../src/index.js';
import { isRetryableCredentialsFailure } from '../src/kms/credentials-failure.js';
import { fakeCloudConfig } from './helpers/kms-fixtures.js';

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await startFakeCloud();
});

afterAll(async () => {
  await cloud.close();
});

/** A provider authenticating to KMS with the fake instance's RAM role, 1 ms backoff. */
function ecsRoleProvider(roleName: string, attempts: number): ManagedCredentialsProvider {
  return new ManagedCredentialsProvider({
    config: fakeCloudConfig(cloud, {
      auth: { type: 'ecs_ram_role', roleName, metadataEndpoint: cloud.metadata.endpoint },
    }),
    retry: { initialDelayMs: 1, maxDelayMs: 1, attempts },
  });
}

/** Metadata requests made by one failed first fetch. */
async function failedFetch(attempts: number): Promise<{ error: unknown; requests: number }> {
  const provider = ecsRoleProvider('role-not-attached', attempts);
  try {
    const before = roleCredentialRequests();
    const error = await provider.getAccessKey('role-secret').catch((e: unknown) => e);
    return { error, requests: roleCredentialRequests() - before };
  } finally {
    await provider.close();
  }
}

const roleCredentialRequests = () =>
  cloud.counters.count({ service: 'metadata', action: 'GetRoleCredentials' });

describe('credential provider failures (ecs_ram_role, STS)', () => {
  it('a role the metadata service does not know (404) fails at once, not retryable', async () => {
    cloud.createRamSecret('role-secret');
    const single = await failedFetch(1);
    expect(single.requests).toBeGreaterThan(0);
    // With 3 attempts allowed, no second attempt is made.
    const { error, requests } = await failedFetch(3);
    expect(error).toBeInstanceOf(SecretFetchError);
    expect(error).toMatchObject({ code: 'MC_SECRET_FETCH_FAILED', retryable: false });
    expect((error as Error).message).toContain('ecs_ram_role');
    expect(requests).toBe(single.requests);
  });

  it('classifies the messages of @alicloud/credentials: 4xx and STS refusals are permanent', () => {
    const permanent = [
      'get role name failed: GET http://100.100.100.200/latest/meta-data/ram/security-credentials/ 404',
      'get sts token failed, httpStatus: 404, message = {"Code":"NotFound"}',
      'get metadata token failed with 403',
      'refresh session token failed: {"RequestId":"r","Code":"NoPermission","Message":"denied"}',
      'get sts token failed with OIDC: {"Code":"AuthenticationFail.OIDCToken.Invalid"}',
      'the access key secret is invalid',
    ];
    const transient = [
      'get sts token failed, httpStatus: 500, message = oops',
      'get role name failed: GET http://100.100.100.200/latest/meta-data/ram/security-credentials/ 429',
      'refresh session token failed: {"Code":"Throttling.User","Message":"slow down"}',
      'refresh session token failed: {"Code":"ServiceUnavailable"}',
      'connect ECONNREFUSED 127.0.0.1:1',
      'Timeout awaiting response headers',
    ];
    for (const message of permanent)
      expect([message, isRetryableCredentialsFailure(new Error(message))]).toEqual([message, false]);
    for (const message of transient)
      expect([message, isRetryableCredentialsFailure(new Error(message))]).toEqual([message, true]);
    expect(isRetryableCredentialsFailure('not an error')).toBe(true);
  });
});
