import { createVerify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedCredentialsProvider } from '../src/index.js';
import { generateClientKey } from 'managed-credentials-fake-cloud';
import type { KmsAuthConfig } from '../src/index.js';
import { rpcStringToSign } from './helpers/rpc-signature.js';
import { FAST_RETRY } from './helpers/kms-fixtures.js';

/**
 * A capturing KMS on 127.0.0.1: records every request's method, path and
 * query parameters and answers GetSecretValue with a canned RAM secret.
 */
const requests: Array<{
  method: string | undefined;
  path: string;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
}> = [];
let server: Server;
let endpoint: string;
const caller = { accessKeyId: 'LTAI-capture-caller', accessKeySecret: 'capture-caller-secret' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kms');
    requests.push({
      method: req.method,
      path: url.pathname,
      params: Object.fromEntries(url.searchParams),
      headers: req.headers,
    });
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

/** Fetches one secret through a provider whose only region is the capturing KMS; returns its request. */
async function capture(auth: KmsAuthConfig, secretName: string): Promise<(typeof requests)[number]> {
  requests.length = 0;
  const provider = new ManagedCredentialsProvider({
    config: {
      auth,
      regions: [{ regionId: 'cn-shanghai', endpoint, vpc: false }],
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
    await expect(provider.getAccessKey(secretName)).resolves.toMatchObject({ accessKeyId: 'AK-captured' });
  } finally {
    await provider.close();
  }
  expect(requests).toHaveLength(1);
  return requests[0] as (typeof requests)[number];
}

describe('GetSecretValue on the wire (shared gateway, through @alicloud/openapi-client)', () => {
  it('AccessKey: the SDK sends SecretName, VersionStage=ACSCurrent, FetchExtendedConfig=true and RegionId, signed ACS3-HMAC-SHA256', async () => {
    const request = await capture({ type: 'ak', ...caller }, 'captured/secret name');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/');
    expect(request.params).toEqual({
      SecretName: 'captured/secret name',
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: 'true',
      RegionId: 'cn-shanghai',
    });
    expect(request.headers).toMatchObject({
      'x-acs-action': 'GetSecretValue',
      'x-acs-version': '2016-01-20',
    });
    expect(request.headers['user-agent']).toContain('managed-credentials-nodejs');
    // The signature itself is checked by fake-cloud in every other KMS test.
    expect(request.headers.authorization).toMatch(
      new RegExp(
        `^ACS3-HMAC-SHA256 Credential=${caller.accessKeyId},SignedHeaders=.*,Signature=[0-9a-f]{64}$`,
      ),
    );
  });

  it('ClientKey: SignatureType=PRIVATEKEY, SignatureMethod=SHA256withRSA, SignatureVersion=1.0, AccessKeyId=<KeyId> and RegionId are signed', async () => {
    const key = generateClientKey();
    const request = await capture(
      {
        type: 'client_key',
        clientKey: { keyId: key.keyId, privateKeyPem: key.privateKeyPem, file: 'ck.json' },
      },
      'captured/rsa secret',
    );
    const { Timestamp, SignatureNonce, Signature, ...fixed } = request.params;
    expect(fixed).toEqual({
      Action: 'GetSecretValue',
      Format: 'JSON',
      Version: '2016-01-20',
      SecretName: 'captured/rsa secret',
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: 'true',
      RegionId: 'cn-shanghai',
      AccessKeyId: key.keyId,
      SignatureMethod: 'SHA256withRSA',
      SignatureType: 'PRIVATEKEY',
      SignatureVersion: '1.0',
    });
    expect(Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(SignatureNonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(request.headers.authorization).toBeUndefined();
    const { Signature: _signature, ...signed } = request.params;
    const verified = createVerify('RSA-SHA256')
      .update(rpcStringToSign('POST', signed))
      .verify(key.publicKeyPem, Signature ?? '', 'base64');
    expect(verified).toBe(true);
  });
});
