import { createSign, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../src/index.js';
import { callGetSecretValue, EcsRamRoleProvider, openApiKmsClient, rejectionOf } from './helpers.js';

/** The POP percent-encoding, written out independently of the emulator's. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

describe('KMS caller authentication', () => {
  let cloud: FakeCloud;
  beforeAll(async () => {
    cloud = await startFakeCloud();
    cloud.createRamSecret('auth-secret');
  });
  afterAll(() => cloud.close());

  describe('HTTPS endpoint', () => {
    it('works when the client trusts the exposed CA', async () => {
      const client = openApiKmsClient(cloud.kms.httpsEndpoint, cloud.createKmsAccessKey());
      const body = await callGetSecretValue(client, { SecretName: 'auth-secret' }, { ca: cloud.caPem });
      expect(body['SecretName']).toBe('auth-secret');
      expect(cloud.kms.httpsEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    });

    it('fails certificate verification without the CA', async () => {
      const client = openApiKmsClient(cloud.kms.httpsEndpoint, cloud.createKmsAccessKey());
      const error = await rejectionOf(callGetSecretValue(client, { SecretName: 'auth-secret' }));
      expect(error.code).toMatch(
        /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/,
      );
    });
  });

  describe('STS credentials from the ECS metadata server (ecs_ram_role)', () => {
    it('serves the real @alicloud/credentials provider over IMDSv2, and its STS key calls KMS', async () => {
      cloud.metadata.requireToken(true);
      const provider = cloud.metadata.redirect(
        EcsRamRoleProvider.builder().withRoleName('fake-cloud-role').build(),
      );
      const credentials = await provider.getCredentials();
      expect(credentials.accessKeyId).toMatch(/^STS\./);
      expect(credentials.securityToken).toBe(cloud.metadata.currentCredentials()?.securityToken);
      expect(
        cloud.counters.count({ service: 'metadata', action: 'GetMetadataToken', outcome: 'ok' }),
      ).toBeGreaterThan(0);
      expect(cloud.counters.count({ service: 'metadata', action: 'GetRoleCredentials', outcome: 'ok' })).toBe(
        1,
      );

      const sts = {
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        securityToken: credentials.securityToken,
      };
      for (const extra of [{}, { signatureAlgorithm: 'v2' }]) {
        const body = await callGetSecretValue(openApiKmsClient(cloud.kms.endpoint, sts, extra), {
          SecretName: 'auth-secret',
        });
        expect(body['SecretName']).toBe('auth-secret');
      }
      const wrongToken = await rejectionOf(
        callGetSecretValue(openApiKmsClient(cloud.kms.endpoint, { ...sts, securityToken: 'CAISforged' }), {
          SecretName: 'auth-secret',
        }),
      );
      expect(wrongToken.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
      cloud.metadata.requireToken(false);
    });

    it('discovers the role name, and answers 404 when no role is attached', async () => {
      const provider = cloud.metadata.redirect(EcsRamRoleProvider.builder().build());
      await expect(provider.getCredentials()).resolves.toMatchObject({
        accessKeyId: expect.stringMatching(/^STS\./),
      });
      cloud.metadata.setRole(null);
      try {
        const list = await fetch(`${cloud.metadata.endpoint}/latest/meta-data/ram/security-credentials/`);
        expect(list.status).toBe(404);
      } finally {
        cloud.metadata.setRole('fake-cloud-role');
      }
    });

    it('answers the credential document in the shape of the real metadata server', async () => {
      const token = await fetch(`${cloud.metadata.endpoint}/latest/api/token`, {
        method: 'PUT',
        headers: { 'X-aliyun-ecs-metadata-token-ttl-seconds': '60' },
      }).then((r) => r.text());
      const response = await fetch(
        `${cloud.metadata.endpoint}/latest/meta-data/ram/security-credentials/fake-cloud-role`,
        {
          headers: { 'X-aliyun-ecs-metadata-token': token },
        },
      );
      expect(await response.json()).toEqual({
        AccessKeyId: expect.stringMatching(/^STS\./),
        AccessKeySecret: expect.any(String),
        SecurityToken: expect.any(String),
        Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        LastUpdated: expect.stringMatching(/Z$/),
        Code: 'Success',
      });
      const forged = await fetch(`${cloud.metadata.endpoint}/latest/meta-data/ram/security-credentials/`, {
        headers: { 'X-aliyun-ecs-metadata-token': 'forged' },
      });
      expect(forged.status).toBe(401);
    });

    it('rejects a revoked STS key as unknown', async () => {
      const held = cloud.metadata.rotateCredentials()!;
      cloud.revokeAccessKey(held.accessKeyId);
      const error = await rejectionOf(
        callGetSecretValue(openApiKmsClient(cloud.kms.endpoint, held), { SecretName: 'auth-secret' }),
      );
      expect(error.code).toBe('InvalidAccessKeyId.NotFound');
      expect(cloud.metadata.currentCredentials()?.accessKeyId).not.toBe(held.accessKeyId);
    });
  });

  describe('ClientKey (RSA) signatures', () => {
    async function rsaSignedGet(
      keyId: string,
      privateKeyPem: string,
      secretName: string,
      overrides: Record<string, string> = {},
    ): Promise<Response> {
      const params: Record<string, string> = {
        Action: 'GetSecretValue',
        Version: '2016-01-20',
        Format: 'JSON',
        Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        SignatureNonce: randomUUID(),
        SignatureMethod: 'SHA256withRSA',
        SignatureVersion: '1.0',
        SignatureType: 'PRIVATEKEY',
        AccessKeyId: keyId,
        SecretName: secretName,
        VersionStage: 'ACSCurrent',
        FetchExtendedConfig: 'true',
        ...overrides,
      };
      const canonical = Object.keys(params)
        .sort()
        .map((k) => `${encode(k)}=${encode(params[k]!)}`)
        .join('&');
      const stringToSign = `POST&${encode('/')}&${encode(canonical)}`;
      const signature = createSign('RSA-SHA256').update(stringToSign).sign(privateKeyPem, 'base64');
      const form = new URLSearchParams({ ...params, Signature: signature });
      return fetch(`${cloud.kms.endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    }

    it('accepts an RPC request signed SHA256withRSA with a registered ClientKey', async () => {
      const clientKey = cloud.createClientKey();
      const response = await rsaSignedGet(clientKey.keyId, clientKey.privateKeyPem, 'auth-secret');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ SecretName: 'auth-secret', RotationInterval: '86400s' });
      expect(cloud.counters.list().at(-1)).toMatchObject({
        accessKeyId: clientKey.keyId,
        signatureMethod: 'SHA256withRSA',
      });
    });

    it('rejects an RSA request whose signed parameters lack SignatureType=PRIVATEKEY', async () => {
      const clientKey = cloud.createClientKey();
      for (const overrides of [{ SignatureType: '' }, { SignatureType: 'BEARERTOKEN' }]) {
        const response = await rsaSignedGet(
          clientKey.keyId,
          clientKey.privateKeyPem,
          'auth-secret',
          overrides,
        );
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ Code: 'IncompleteSignature' });
      }
    });

    it('rejects a signature made with another private key, and an unregistered key id', async () => {
      const registered = cloud.createClientKey();
      const stranger = cloud.createClientKey();
      const forged = await rsaSignedGet(registered.keyId, stranger.privateKeyPem, 'auth-secret');
      expect(forged.status).toBe(400);
      expect(await forged.json()).toMatchObject({ Code: 'SignatureDoesNotMatch' });
      const unknown = await rsaSignedGet(
        'KAAP.00000000-0000-0000-0000-000000000000',
        stranger.privateKeyPem,
        'auth-secret',
      );
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ Code: 'InvalidAccessKeyId.NotFound' });
    });

    it('rejects a replayed request (same nonce) and a stale timestamp', async () => {
      const clientKey = cloud.createClientKey();
      const nonce = randomUUID();
      const first = await rsaSignedGet(clientKey.keyId, clientKey.privateKeyPem, 'auth-secret', {
        SignatureNonce: nonce,
      });
      expect(first.status).toBe(200);
      const replay = await rsaSignedGet(clientKey.keyId, clientKey.privateKeyPem, 'auth-secret', {
        SignatureNonce: nonce,
      });
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({ Code: 'SignatureNonceUsed' });
      const stale = await rsaSignedGet(clientKey.keyId, clientKey.privateKeyPem, 'auth-secret', {
        Timestamp: '2020-01-01T00:00:00Z',
      });
      expect(stale.status).toBe(400);
      expect(await stale.json()).toMatchObject({ Code: 'InvalidTimeStamp.Expired' });
    });

    it('accepts the real openapi-client signing ACS3-RSA-SHA256 with the ClientKey', async () => {
      const clientKey = cloud.createClientKey();
      const client = openApiKmsClient(
        cloud.kms.endpoint,
        { accessKeyId: clientKey.keyId, accessKeySecret: clientKey.privateKeyPem.trim() },
        { signatureAlgorithm: 'ACS3-RSA-SHA256' },
      );
      const body = await callGetSecretValue(client, { SecretName: 'auth-secret' });
      expect(body['SecretName']).toBe('auth-secret');
      expect(cloud.counters.list().at(-1)).toMatchObject({
        signatureMethod: 'ACS3-RSA-SHA256',
        outcome: 'ok',
      });
    });
  });
});
