import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedCredentialsProvider } from '../src/index.js';
import { hmacSha1Signature, rpcStringToSign } from '../src/kms/rpc-signature.js';
import { FAST_RETRY } from './helpers/kms-fixtures.js';

/**
 * A capturing KMS on 127.0.0.1: records every request's method, path and
 * query parameters and answers GetSecretValue with a canned RAM secret.
 */
const requests: Array<{ method: string | undefined; path: string; params: Record<string, string> }> = [];
let server: Server;
let endpoint: string;
const caller = { accessKeyId: 'LTAI-capture-caller', accessKeySecret: 'capture-caller-secret' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kms');
    requests.push({ method: req.method, path: url.pathname, params: Object.fromEntries(url.searchParams) });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          RequestId: 'capture-1',
          SecretName: url.searchParams.get('SecretName'),
          SecretData: JSON.stringify({ AccessKeyId: 'AK-captured', AccessKeySecret: 'captured-secret' }),
          SecretDataType: 'text',
          VersionId: 'v1',
          VersionStages: { VersionStage: ['ACSCurrent'] },
          SecretType: 'Generic',
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('GetSecretValue on the wire (shared gateway)', () => {
  it('sends SecretName, VersionStage=ACSCurrent and FetchExtendedConfig=true, signed with the caller key', async () => {
    const provider = new ManagedCredentialsProvider({
      config: {
        auth: { type: 'ak', ...caller },
        regions: [{ regionId: 'cn-hangzhou', endpoint, vpc: false }],
        dedicatedGateways: [],
        refreshSecretTtlMs: 6 * 3600_000,
        rotationIntervalMs: 6 * 3600_000,
        delayIntervalMs: 5 * 60_000,
        secretNames: [],
        origin: { keys: {} },
      },
      retry: FAST_RETRY,
    });
    try {
      await expect(provider.getAccessKey('captured/secret name')).resolves.toMatchObject({
        accessKeyId: 'AK-captured',
      });
    } finally {
      await provider.close();
    }
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/');
    const { Timestamp, SignatureNonce, Signature, ...fixed } = request?.params ?? {};
    expect(fixed).toEqual({
      Action: 'GetSecretValue',
      Format: 'JSON',
      Version: '2016-01-20',
      SecretName: 'captured/secret name',
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: 'true',
      AccessKeyId: caller.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
    });
    expect(Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(SignatureNonce).toMatch(/^[0-9a-f-]{36}$/);
    const { Signature: _ignored, ...signed } = request?.params ?? {};
    expect(Signature).toBe(hmacSha1Signature(rpcStringToSign('POST', signed), caller.accessKeySecret));
  });
});
