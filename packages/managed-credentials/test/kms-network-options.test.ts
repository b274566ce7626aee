/**
 * The network options of KMS calls come from configuration keys and reach the
 * SDK's runtime options: `kms_request_timeout_ms`, `kms_connect_timeout_ms`,
 * `kms_ca_file_path` (the CA trusted for HTTPS to the shared gateway).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ManagedCredentialsProvider, SecretFetchError, type RawConfig } from '../src/index.js';
import { FAST_RETRY } from './helpers/kms-fixtures.js';
import { TempDir } from './helpers/config-fixtures.js';

let cloud: FakeCloud;
const dir = new TempDir();
let caFile: string;

beforeAll(async () => {
  cloud = await startFakeCloud();
  cloud.createRamSecret('over-tls');
  caFile = dir.write('kms-ca.pem', cloud.caPem);
});
afterAll(async () => {
  await cloud.close();
  dir.remove();
});

function rawConfig(endpoint: string, extra: Record<string, string> = {}): RawConfig {
  const caller = cloud.createKmsAccessKey();
  return {
    credentials_type: 'ak',
    credentials_access_key_id: caller.accessKeyId,
    credentials_access_secret: caller.accessKeySecret,
    cache_client_region_id: JSON.stringify([{ regionId: 'cn-hangzhou', endpoint }]),
    ...extra,
  };
}

async function fetchOnce(config: RawConfig, secretName: string): Promise<unknown> {
  const provider = new ManagedCredentialsProvider({ config, retry: { ...FAST_RETRY, attempts: 1 } });
  try {
    return await provider.getAccessKey(secretName).then(
      (key) => key.accessKeyId,
      (error: unknown) => error,
    );
  } finally {
    await provider.close();
  }
}

describe('configuration keys', () => {
  it('reads the timeouts and the CA file; absent keys stay absent (the KMS defaults apply)', () => {
    const config = loadConfig({
      object: rawConfig(cloud.kms.endpoint, {
        kms_request_timeout_ms: '12000',
        kms_connect_timeout_ms: '2500',
        kms_ca_file_path: caFile,
      }),
      env: {},
    });
    expect(config).toMatchObject({ kmsRequestTimeoutMs: 12_000, kmsConnectTimeoutMs: 2_500 });
    expect(config.kmsCa).toEqual({ pem: cloud.caPem, file: caFile });
    const plain = loadConfig({ object: rawConfig(cloud.kms.endpoint), env: {} });
    expect(plain.kmsRequestTimeoutMs).toBeUndefined();
    expect(plain.kmsConnectTimeoutMs).toBeUndefined();
    expect(plain.kmsCa).toBeUndefined();
  });

  it.each([
    ['kms_request_timeout_ms', '50', 'at least 100 ms'],
    ['kms_connect_timeout_ms', '400000', 'at most 300000 ms'],
    ['kms_connect_timeout_ms', 'soon', 'whole number'],
  ])('%s=%s is a ConfigError naming the key', (key, value, problem) => {
    expect(() => loadConfig({ object: rawConfig(cloud.kms.endpoint, { [key]: value }), env: {} })).toThrow(
      expect.objectContaining({ code: 'MC_CONFIG_INVALID', key, message: expect.stringContaining(problem) }),
    );
  });

  it('a CA file that does not exist or holds no certificate is a ConfigError naming the file', () => {
    const missing = `${dir.path}/nope.pem`;
    const notPem = dir.write('not-a-cert.pem', 'hello');
    for (const file of [missing, notPem]) {
      expect(() =>
        loadConfig({ object: rawConfig(cloud.kms.endpoint, { kms_ca_file_path: file }), env: {} }),
      ).toThrow(expect.objectContaining({ key: 'kms_ca_file_path', message: expect.stringContaining(file) }));
    }
  });
});

describe('the options reach the SDK', () => {
  it('kms_ca_file_path: the shared gateway over HTTPS is trusted with that CA, and not without it', async () => {
    const trusted = await fetchOnce(
      rawConfig(cloud.kms.httpsEndpoint, { kms_ca_file_path: caFile }),
      'over-tls',
    );
    expect(trusted).toEqual(expect.any(String));
    const untrusted = await fetchOnce(rawConfig(cloud.kms.httpsEndpoint), 'over-tls');
    expect(untrusted).toBeInstanceOf(SecretFetchError);
    expect(untrusted).toMatchObject({ retryable: true, endpoint: cloud.kms.httpsEndpoint });
    expect((untrusted as Error).message).toContain('kms_ca_file_path');
  });

  it('kms_connect_timeout_ms is the connect timeout the SDK gives its socket', async () => {
    const port = Number(new URL(cloud.kms.endpoint).port);
    const seen: number[] = [];
    const onRequest = (message: unknown): void => {
      const request = (message as { request: ClientRequest }).request;
      if (request.getHeader('host') === `127.0.0.1:${port}`) seen.push(request.socket?.timeout ?? -1);
    };
    diagnosticsChannel.subscribe('http.client.request.start', onRequest);
    try {
      const fetched = await fetchOnce(
        rawConfig(cloud.kms.endpoint, { kms_connect_timeout_ms: '2500' }),
        'over-tls',
      );
      expect(fetched).toEqual(expect.any(String));
    } finally {
      diagnosticsChannel.unsubscribe('http.client.request.start', onRequest);
    }
    expect(seen).toEqual([2500]);
  });

  it('kms_request_timeout_ms bounds one request', async () => {
    cloud.faults.kms.setLatency(5_000);
    try {
      const error = await fetchOnce(
        rawConfig(cloud.kms.endpoint, { kms_request_timeout_ms: '300' }),
        'over-tls',
      );
      expect(error).toBeInstanceOf(SecretFetchError);
      expect((error as Error).message).toContain('no answer within 300 ms');
    } finally {
      cloud.faults.kms.clear();
    }
  });
});
