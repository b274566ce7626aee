import * as $Kms from '@alicloud/kms20160120';
import * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../src/index.js';
import {
  callGetSecretValue,
  getSecretValueParams,
  hostOf,
  Kms,
  openApiKmsClient,
  rejectionOf,
} from './helpers.js';

describe('KMS GetSecretValue', () => {
  let cloud: FakeCloud;
  beforeAll(async () => {
    cloud = await startFakeCloud();
  });
  afterAll(() => cloud.close());

  function kmsClient(caller: { accessKeyId: string; accessKeySecret: string }): InstanceType<typeof Kms> {
    // rpc-client's Config is a plain tea model; its package is not a direct dependency here.
    const config = {
      ...caller,
      endpoint: hostOf(cloud.kms.endpoint),
      protocol: 'http',
      regionId: 'cn-hangzhou',
    };
    return new Kms(config as unknown as ConstructorParameters<typeof Kms>[0]);
  }

  it('answers the real @alicloud/kms20160120 client (RPC HMAC-SHA1)', async () => {
    const secret = cloud.createRamSecret('kms-typed');
    const response = await kmsClient(cloud.createKmsAccessKey()).getSecretValue(
      new $Kms.GetSecretValueRequest({ secretName: 'kms-typed' }),
    );
    expect(response.secretName).toBe('kms-typed');
    expect(response.versionId).toBe(secret.versionId);
    expect(response.versionStages.versionStage).toEqual(['ACSCurrent']);
    expect(JSON.parse(response.secretData)).toEqual({
      AccessKeyId: secret.accessKey!.accessKeyId,
      AccessKeySecret: secret.accessKey!.accessKeySecret,
      GenerateTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
  });

  it.each([
    ['ACS3-HMAC-SHA256', 'kms-full-acs3', {}],
    ['HMAC-SHA1', 'kms-full-rpc', { signatureAlgorithm: 'v2' }],
  ])('delivers the full body through openapi-client callApi, signed with %s', async (method, name, extra) => {
    cloud.createRamSecret(name, {
      rotationInterval: '3600s',
      nextRotationDate: '2030-01-02T03:04:05Z',
    });
    const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey(), extra);
    const body = await callGetSecretValue(client, {
      SecretName: name,
      VersionStage: 'ACSCurrent',
      FetchExtendedConfig: 'true',
    });
    expect(body).toMatchObject({
      SecretName: name,
      SecretType: 'RamCredentials',
      SecretDataType: 'text',
      RotationInterval: '3600s',
      NextRotationDate: '2030-01-02T03:04:05Z',
      AutomaticRotation: 'Enabled',
      VersionStages: { VersionStage: ['ACSCurrent'] },
      RequestId: expect.any(String),
      VersionId: expect.any(String),
      CreateTime: expect.stringMatching(/Z$/),
    });
    expect(JSON.parse(body['ExtendedConfig'] as string)).toMatchObject({ SecretSubType: 'RamUserAccessKey' });
    expect(JSON.parse(body['SecretData'] as string)).toHaveProperty('AccessKeyId');
    expect(
      cloud.counters
        .list()
        .filter((r) => r.secretName === name)
        .map((r) => r.signatureMethod),
    ).toEqual([method]);
  });

  it.each([{}, { signatureAlgorithm: 'v2' }])(
    'reads and signs parameters sent in a form body (%o)',
    async (extra) => {
      cloud.createRamSecret(`kms-form-${Object.keys(extra).length}`);
      const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey(), extra);
      const params = getSecretValueParams('HTTP');
      const request = new $OpenApi.OpenApiRequest({
        body: { SecretName: `kms-form-${Object.keys(extra).length}`, FetchExtendedConfig: 'true' },
      });
      const response = (await client.callApi(params, request, new $Util.RuntimeOptions({}))) as {
        body: Record<string, unknown>;
      };
      expect(response.body).toMatchObject({
        SecretName: `kms-form-${Object.keys(extra).length}`,
        RotationInterval: '86400s',
      });
    },
  );

  it('leaves out the extended fields unless FetchExtendedConfig=true', async () => {
    cloud.createRamSecret('kms-plain');
    const body = await callGetSecretValue(openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey()), {
      SecretName: 'kms-plain',
    });
    expect(body).not.toHaveProperty('ExtendedConfig');
    expect(body).not.toHaveProperty('RotationInterval');
    expect(body['SecretType']).toBe('RamCredentials');
  });

  it('honours VersionStage and VersionId after a rotation', async () => {
    const first = cloud.createRamSecret('kms-versions');
    const second = cloud.rotate('kms-versions');
    const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey());
    const previous = await callGetSecretValue(client, {
      SecretName: 'kms-versions',
      VersionStage: 'ACSPrevious',
    });
    expect(previous['VersionId']).toBe(first.versionId);
    expect(previous['VersionStages']).toEqual({ VersionStage: ['ACSPrevious'] });
    const current = await callGetSecretValue(client, { SecretName: 'kms-versions' });
    expect(current['VersionId']).toBe(second.versionId);
    const byId = await callGetSecretValue(client, { SecretName: 'kms-versions', VersionId: first.versionId });
    expect(JSON.parse(byId['SecretData'] as string).AccessKeyId).toBe(first.accessKey!.accessKeyId);
  });

  it('serves generic and malformed secret values verbatim', async () => {
    cloud.putSecretValue('kms-generic', 'not json at all');
    cloud.createRamSecret('kms-malformed', { secretData: '{"AccessKeyId":' });
    const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey());
    const generic = await callGetSecretValue(client, {
      SecretName: 'kms-generic',
      FetchExtendedConfig: 'true',
    });
    expect(generic).toMatchObject({ SecretData: 'not json at all', SecretType: 'Generic' });
    expect(generic).not.toHaveProperty('ExtendedConfig');
    const malformed = await callGetSecretValue(client, { SecretName: 'kms-malformed' });
    expect(malformed['SecretData']).toBe('{"AccessKeyId":');
    expect(cloud.currentAccessKey('kms-malformed')).toBeUndefined();
  });

  describe('rejections', () => {
    it('answers an unknown secret with 404 Forbidden.ResourceNotFound', async () => {
      const error = await rejectionOf(
        callGetSecretValue(openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey()), {
          SecretName: 'nope',
        }),
      );
      expect(error.code).toBe('Forbidden.ResourceNotFound');
      expect(error.data).toMatchObject({
        statusCode: 404,
        Code: 'Forbidden.ResourceNotFound',
        HostId: expect.any(String),
      });
      expect(error.data).toHaveProperty('Recommend');
    });

    it.each([{}, { signatureAlgorithm: 'v2' }])(
      'answers a wrong secret with 400 SignatureDoesNotMatch (%o)',
      async (extra) => {
        cloud.createRamSecret(`kms-wrong-${Object.keys(extra).length}`);
        const { accessKeyId } = cloud.createKmsAccessKey();
        const client = openApiKmsClient(
          cloud.kms.endpoint,
          { accessKeyId, accessKeySecret: 'wrong-secret' },
          extra,
        );
        const error = await rejectionOf(
          callGetSecretValue(client, { SecretName: `kms-wrong-${Object.keys(extra).length}` }),
        );
        expect(error.code).toBe('SignatureDoesNotMatch');
        expect(error.data).toMatchObject({ statusCode: 400 });
      },
    );

    it('answers an unknown or revoked key with 404 InvalidAccessKeyId.NotFound', async () => {
      cloud.createRamSecret('kms-revoked');
      const caller = cloud.createKmsAccessKey();
      cloud.revokeAccessKey(caller.accessKeyId);
      for (const who of [caller, { accessKeyId: 'LTAI5tUnknownKey000000', accessKeySecret: 'x' }]) {
        const error = await rejectionOf(
          callGetSecretValue(openApiKmsClient(cloud.kms.endpoint, who), { SecretName: 'kms-revoked' }),
        );
        expect(error.code).toBe('InvalidAccessKeyId.NotFound');
        expect(error.data).toMatchObject({ statusCode: 404 });
      }
    });

    it('does not accept a RAM user key (from a secret) as a KMS caller', async () => {
      const secret = cloud.createRamSecret('kms-scope');
      const error = await rejectionOf(
        callGetSecretValue(openApiKmsClient(cloud.kms.endpoint, secret.accessKey!), {
          SecretName: 'kms-scope',
        }),
      );
      expect(error.code).toBe('InvalidAccessKeyId.NotFound');
    });

    it('reports rpc-client errors with its own "<Code>Error" suffix', async () => {
      const { accessKeyId } = cloud.createKmsAccessKey();
      const error = await rejectionOf(
        kmsClient({ accessKeyId, accessKeySecret: 'bad' }).getSecretValue(
          new $Kms.GetSecretValueRequest({ secretName: 'whatever' }),
        ),
      );
      expect(error.code).toBe('SignatureDoesNotMatchError');
      expect(error.data).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    });

    it('answers a request without signature with 400 IncompleteSignature', async () => {
      const response = await fetch(
        `${cloud.kms.endpoint}/?Action=GetSecretValue&Version=2016-01-20&SecretName=x`,
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ Code: 'IncompleteSignature' });
    });
  });

  it('counts requests by action, secret and outcome', async () => {
    cloud.createRamSecret('kms-counted');
    const before = cloud.counters.count({ service: 'kms', secretName: 'kms-counted' });
    const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey());
    await callGetSecretValue(client, { SecretName: 'kms-counted' });
    await rejectionOf(callGetSecretValue(client, { SecretName: 'kms-counted', VersionStage: 'NoSuchStage' }));
    expect(cloud.counters.count({ service: 'kms', secretName: 'kms-counted' })).toBe(before + 2);
    expect(cloud.counters.count({ action: 'GetSecretValue', secretName: 'kms-counted', outcome: 'ok' })).toBe(
      1,
    );
    expect(cloud.counters.count({ secretName: 'kms-counted', outcome: 'Forbidden.ResourceNotFound' })).toBe(
      1,
    );
  });
});
