/**
 * Secrets of every type (issue 16): generic JSON and text, binary and
 * RDS-style secrets answered by the fake KMS to the real openapi-client, and
 * rotation of any secret's value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../src/index.js';
import { callGetSecretValue, openApiKmsClient } from './helpers.js';

describe('KMS secrets of every type', () => {
  let cloud: FakeCloud;
  let read: (name: string) => Promise<Record<string, unknown>>;
  beforeAll(async () => {
    cloud = await startFakeCloud();
    const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey());
    read = (name) =>
      callGetSecretValue(client, {
        SecretName: name,
        VersionStage: 'ACSCurrent',
        FetchExtendedConfig: 'true',
      });
  });
  afterAll(() => cloud.close());

  it('answers a generic JSON secret as text, without rotation fields (as the real service)', async () => {
    cloud.createSecret('generic-json', { user: 'app', password: 'p4ss-word-1' });
    const body = await read('generic-json');
    expect(body).toMatchObject({ SecretType: 'Generic', SecretDataType: 'text' });
    expect(JSON.parse(body['SecretData'] as string)).toEqual({ user: 'app', password: 'p4ss-word-1' });
    for (const key of ['ExtendedConfig', 'AutomaticRotation', 'RotationInterval', 'NextRotationDate']) {
      expect(body).not.toHaveProperty(key);
    }
  });

  it('answers a binary secret as base64 with SecretDataType binary', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255, 10]);
    cloud.createSecret('generic-binary', bytes);
    const body = await read('generic-binary');
    expect(body['SecretDataType']).toBe('binary');
    expect(Buffer.from(body['SecretData'] as string, 'base64')).toEqual(Buffer.from(bytes));
  });

  it('answers an RDS secret with its account, extended config and rotation', async () => {
    const view = cloud.createRdsSecret('rds-secret', { accountName: 'reporting', dbInstanceId: 'rm-test1' });
    const body = await read('rds-secret');
    expect(body).toMatchObject({
      SecretType: 'Rds',
      SecretDataType: 'text',
      AutomaticRotation: 'Enabled',
      RotationInterval: '604800s',
      NextRotationDate: expect.stringMatching(/Z$/),
      VersionId: view.versionId,
    });
    expect(JSON.parse(body['ExtendedConfig'] as string)).toEqual({
      SecretSubType: 'SingleUser',
      DBInstanceId: 'rm-test1',
      CustomData: {},
    });
    const value = JSON.parse(body['SecretData'] as string) as Record<string, string>;
    expect(value['AccountName']).toBe('reporting');
    expect(value['AccountPassword']).toMatch(/^\w{19}!$/);
  });

  it('rotates any value: a new password, new bytes, new text, or the value given; old version ACSPrevious', async () => {
    const before = JSON.parse((await read('rds-secret'))['SecretData'] as string) as Record<string, string>;
    const rotated = cloud.rotateSecret('rds-secret');
    const after = JSON.parse((await read('rds-secret'))['SecretData'] as string) as Record<string, string>;
    expect(after['AccountName']).toBe('reporting');
    expect(after['AccountPassword']).not.toBe(before['AccountPassword']);
    expect(cloud.getSecret('rds-secret', { versionStage: 'ACSPrevious' })?.secretData).toBe(
      JSON.stringify(before),
    );
    expect((await read('rds-secret'))['VersionId']).toBe(rotated.versionId);

    const binaryBefore = (await read('generic-binary'))['SecretData'];
    cloud.rotateSecret('generic-binary');
    const binaryAfter = await read('generic-binary');
    expect(binaryAfter['SecretDataType']).toBe('binary');
    expect(binaryAfter['SecretData']).not.toBe(binaryBefore);

    cloud.createSecret('generic-text', 'first-text');
    cloud.rotateSecret('generic-text');
    expect((await read('generic-text'))['SecretData']).toMatch(/^rotated-\w{24}$/);
    cloud.rotateSecret('generic-text', { value: 'chosen-text' });
    expect((await read('generic-text'))['SecretData']).toBe('chosen-text');
  });

  it('rotates a RAM secret without a value to a new key pair', async () => {
    const created = cloud.createRamSecret('ram-via-rotate-secret');
    const view = cloud.rotateSecret('ram-via-rotate-secret');
    const pair = JSON.parse(view.secretData) as Record<string, string>;
    expect(pair['AccessKeyId']).toBe(cloud.currentAccessKey('ram-via-rotate-secret')?.accessKeyId);
    expect(pair['AccessKeyId']).not.toBe(created.accessKey?.accessKeyId);
  });
});
