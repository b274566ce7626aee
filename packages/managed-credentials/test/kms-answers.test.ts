/**
 * SPEC §3 — how KMS answers are classified on both gateways, through the
 * real SDK (shared gateway) and our instance client (dedicated gateway),
 * against fake-cloud: the codes the official KMS SDKs retry whatever the
 * HTTP status, the codes they list mapped to typed errors, and an answer too
 * large to be a KMS answer abandoned after one request.
 */
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  KmsAnswerTooLargeError,
  KmsRequestRejectedError,
  ManagedCredentialsProvider,
  SecretFetchError,
  SecretNotFoundError,
  type ManagedCredentialsConfig,
} from '../src/index.js';
import { createSecretSource } from '../src/kms/create-secret-source.js';
import { isRetryableKmsAnswer } from '../src/kms/kms-error.js';
import type { SecretSource } from '../src/kms/types.js';
import { FAST_RETRY, fakeCloudConfig, kmsCalls } from './helpers/kms-fixtures.js';

let cloud: FakeCloud;
const sources: SecretSource[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
  for (const name of ['retry-by-code', 'mapped-code']) cloud.createRamSecret(name);
});
afterEach(() => {
  for (const source of sources.splice(0)) source.close?.();
  cloud.faults.kms.clear();
  cloud.faults.dkms.clear();
});
afterAll(() => cloud.close());

function dedicatedConfig(): ManagedCredentialsConfig {
  const key = cloud.createClientKey();
  return fakeCloudConfig(cloud, {
    auth: undefined,
    regions: [],
    dedicatedGateways: [
      {
        regionId: 'cn-hangzhou',
        endpoint: cloud.dkms.endpoint,
        clientKey: { keyId: key.keyId, privateKeyPem: key.privateKeyPem, file: 'clientKey_test.json' },
        ignoreSslCerts: false,
        caPem: cloud.caPem,
      },
    ],
  });
}

const gateways = [
  { name: 'shared gateway (SDK)', service: 'kms', config: () => fakeCloudConfig(cloud) },
  { name: 'dedicated gateway', service: 'dkms', config: dedicatedConfig },
] as const;

function open(config: ManagedCredentialsConfig): SecretSource {
  const source = createSecretSource(config);
  sources.push(source);
  return source;
}

async function failure(promise: Promise<unknown>): Promise<SecretFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecretFetchError);
  return error as SecretFetchError;
}

describe.each(gateways)('$name: codes the official KMS SDKs name', ({ service, config }) => {
  it.each([
    ['Rejected.Throttling', 400],
    ['ServiceUnavailableTemporary', 400],
    ['InternalFailure', 400],
    ['InternalFailure', 403],
  ])('%s with HTTP %i is retryable (by code, whatever the status)', async (code, status) => {
    cloud.faults(service).failNext(1, 'internal-error', { status, code });
    const error = await failure(open(config()).getSecretValue('retry-by-code'));
    expect(error).toMatchObject({ kmsCode: code, httpStatus: status, retryable: true });
  });

  it.each([
    ['Forbidden.NoPermission', 403, 'KmsRequestRejectedError', 'MC_KMS_ACCESS_DENIED'],
    ['Unauthorized', 401, 'KmsRequestRejectedError', 'MC_KMS_UNAUTHORIZED'],
    ['InvalidParam', 400, 'KmsRequestRejectedError', 'MC_KMS_INVALID_REQUEST'],
    ['Forbidden.KeyNotFound', 404, 'SecretNotFoundError', 'MC_SECRET_NOT_FOUND'],
  ] as const)('%s (HTTP %i) is a %s with code %s, not retried', async (code, status, className, mcCode) => {
    const errorClass = className === 'SecretNotFoundError' ? SecretNotFoundError : KmsRequestRejectedError;
    cloud.faults(service).failNext(1, 'internal-error', { status, code });
    const error = await failure(open(config()).getSecretValue('mapped-code'));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      code: mcCode,
      kmsCode: code,
      httpStatus: status,
      retryable: false,
      secretName: 'mapped-code',
    });
    expect(error.message).toContain('mapped-code');
    expect(error.message).toContain(code);
  });
});

describe('classification table', () => {
  it('a definite code stays definite even with a 5xx status; an unknown 5xx is retried', () => {
    expect(isRetryableKmsAnswer('Forbidden.NoPermission', 500)).toBe(false);
    expect(isRetryableKmsAnswer('Unauthorized', 503)).toBe(false);
    expect(isRetryableKmsAnswer('SomethingNew', 500)).toBe(true);
    expect(isRetryableKmsAnswer('InternalFailure', 200)).toBe(true);
  });
});

describe.each(gateways)('$name: an answer larger than 1 MiB', ({ service, config }) => {
  it.each([
    ['streamed without content-length', true],
    ['declared by content-length', false],
  ])('%s is abandoned after exactly one request, with a non-retryable typed error', async (_how, chunked) => {
    const secretName = `oversized-${service}-${chunked ? 'chunked' : 'declared'}`;
    cloud.createRamSecret(secretName);
    cloud.faults(service).failNext(1, 'big-body', { bytes: 8 * 1024 * 1024, chunked });
    const provider = new ManagedCredentialsProvider({ config: config(), retry: FAST_RETRY });
    const before = cloud.counters.count({ service });
    const oversizedBefore = cloud.counters.count({ service, outcome: 'BigBody' });
    try {
      const error = await failure(provider.getAccessKey(secretName));
      expect(error).toBeInstanceOf(KmsAnswerTooLargeError);
      expect(error).toMatchObject({ code: 'MC_KMS_ANSWER_TOO_LARGE', retryable: false, secretName });
      expect(error.message).toContain(secretName);
      expect(error.message).toContain(service === 'kms' ? cloud.kms.endpoint : cloud.dkms.endpoint);
    } finally {
      await provider.close();
    }
    // Every request to the service in this test was the one oversized answer (the instance API's protobuf
    // body does not tell fake-cloud the secret name of a faulted request).
    // fake-cloud records a request when its connection closes, which the client's hang-up only starts.
    await expect.poll(() => cloud.counters.count({ service, outcome: 'BigBody' }) - oversizedBefore).toBe(1);
    expect(cloud.counters.count({ service }) - before).toBe(1);
    // The next request is served normally: nothing was left half-read on a reused connection.
    if (service === 'kms') {
      await expect(open(fakeCloudConfig(cloud)).getSecretValue(secretName)).resolves.toMatchObject({
        secretName,
      });
      expect(kmsCalls(cloud, secretName)).toBe(2);
    }
  });
});
