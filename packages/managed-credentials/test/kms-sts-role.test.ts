import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ManagedCredentialsProvider } from '../src/index.js';
import { hmacSha1Signature, rpcStringToSign } from './helpers/rpc-signature.js';
import { FAST_RETRY, fakeCloudConfig } from './helpers/kms-fixtures.js';

/**
 * fake-cloud has no STS, so this file runs a minimal AssumeRole endpoint: it
 * checks the HMAC-SHA1 signature of the configured AccessKey and answers with
 * STS credentials that fake-cloud's KMS accepts (those of its metadata role).
 */
let cloud: FakeCloud;
let sts: Server;
let stsEndpoint: string;
const assumeRoleCalls: Array<Record<string, string>> = [];
const userKey = { accessKeyId: 'LTAI-sts-user', accessKeySecret: 'sts-user-secret-0123456789' };
const oidcToken = 'eyJhbGciOiJSUzI1NiJ9.test-oidc-token.signature';
let tokenDir: string;

beforeAll(async () => {
  cloud = await startFakeCloud();
  tokenDir = mkdtempSync(join(tmpdir(), 'mc-oidc-'));
  writeFileSync(join(tokenDir, 'token'), oidcToken);
  sts = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sts');
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      Object.assign(params, Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())));
      assumeRoleCalls.push(params);
      const { Signature: signature, ...signed } = params;
      const expected = hmacSha1Signature(
        rpcStringToSign(req.method ?? 'POST', signed),
        userKey.accessKeySecret,
      );
      // AssumeRoleWithOIDC is not signed: the OIDC token is the proof.
      const authentic =
        params['Action'] === 'AssumeRoleWithOIDC'
          ? params['OIDCToken'] === oidcToken
          : params['AccessKeyId'] === userKey.accessKeyId && signature === expected;
      if (!authentic) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Code: 'SignatureDoesNotMatch', Message: 'bad signature' }));
        return;
      }
      const role = cloud.metadata.currentCredentials();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          RequestId: 'sts-request',
          Credentials: {
            AccessKeyId: role?.accessKeyId,
            AccessKeySecret: role?.accessKeySecret,
            SecurityToken: role?.securityToken,
            Expiration: new Date(role?.expiresAt ?? 0).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
  stsEndpoint = `http://127.0.0.1:${(sts.address() as { port: number }).port}`;
});

afterAll(async () => {
  sts.closeAllConnections();
  await new Promise((resolve) => sts.close(resolve));
  rmSync(tokenDir, { recursive: true, force: true });
  await cloud.close();
});

describe('STS-based credentials for KMS (sts, ram_role, oidc_role_arn)', () => {
  it.each(['sts', 'ram_role'] as const)(
    '%s: assumes the role with the AccessKey, then calls KMS with the STS key and token',
    async (type) => {
      cloud.createRamSecret(`via-${type}`);
      const provider = new ManagedCredentialsProvider({
        config: fakeCloudConfig(cloud, {
          auth: { type, ...userKey, roleArn: 'acs:ram::123:role/kms-reader', roleSessionName: 'mc-test' },
        }),
        retry: FAST_RETRY,
        kms: { stsEndpoint },
      });
      try {
        await expect(provider.getAccessKey(`via-${type}`)).resolves.toMatchObject({ generation: 1 });
        expect(assumeRoleCalls.at(-1)).toMatchObject({
          Action: 'AssumeRole',
          RoleArn: 'acs:ram::123:role/kms-reader',
          RoleSessionName: 'mc-test',
        });
        const kmsCall = cloud.counters
          .list()
          .filter((record) => record.service === 'kms')
          .at(-1);
        expect(kmsCall).toMatchObject({
          accessKeyId: cloud.metadata.currentCredentials()?.accessKeyId,
          secretName: `via-${type}`,
          outcome: 'ok',
        });
      } finally {
        await provider.close();
      }
    },
  );

  it('oidc_role_arn: exchanges the OIDC token file for STS credentials, then calls KMS', async () => {
    cloud.createRamSecret('via-oidc');
    const provider = new ManagedCredentialsProvider({
      config: fakeCloudConfig(cloud, {
        auth: {
          type: 'oidc_role_arn',
          roleArn: 'acs:ram::123:role/kms-reader',
          oidcProviderArn: 'acs:ram::123:oidc-provider/test',
          oidcTokenFilePath: join(tokenDir, 'token'),
        },
      }),
      retry: FAST_RETRY,
      kms: { stsEndpoint },
    });
    try {
      await expect(provider.getAccessKey('via-oidc')).resolves.toMatchObject({ generation: 1 });
      expect(assumeRoleCalls.at(-1)).toMatchObject({
        Action: 'AssumeRoleWithOIDC',
        OIDCProviderArn: 'acs:ram::123:oidc-provider/test',
      });
      expect(
        cloud.counters
          .list()
          .filter((record) => record.service === 'kms')
          .at(-1),
      ).toMatchObject({
        secretName: 'via-oidc',
        outcome: 'ok',
      });
    } finally {
      await provider.close();
    }
  });
});
