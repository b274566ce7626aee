import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../src/index.js';
import {
  callGetSecretValue,
  OidcRoleArnProvider,
  openApiKmsClient,
  RamRoleArnProvider,
  rejectionOf,
  StaticAkProvider,
} from './helpers.js';

const ROLE_ARN = 'acs:ram::1234567890123456:role/kms-reader';

describe('STS', () => {
  let cloud: FakeCloud;
  let dir: string;
  beforeAll(async () => {
    cloud = await startFakeCloud();
    cloud.createRamSecret('sts-secret');
    dir = mkdtempSync(join(tmpdir(), 'fake-cloud-sts-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await cloud.close();
  });

  function assumeRoleProvider(caller: { accessKeyId: string; accessKeySecret: string }) {
    const base = StaticAkProvider.builder()
      .withAccessKeyId(caller.accessKeyId)
      .withAccessKeySecret(caller.accessKeySecret)
      .build();
    const provider = RamRoleArnProvider.builder()
      .withCredentialsProvider(base)
      .withRoleArn(ROLE_ARN)
      .withRoleSessionName('fake-cloud-test')
      .withDurationSeconds(900)
      .build();
    return cloud.sts.redirect(provider);
  }

  it('answers AssumeRole from the real ram_role_arn provider with an STS key that can call KMS', async () => {
    const credentials = await assumeRoleProvider(cloud.createKmsAccessKey()).getCredentials();
    expect(credentials.accessKeyId).toMatch(/^STS\./);
    expect(cloud.accessKeyStatus(credentials.accessKeyId)).toBe('active');
    const body = await callGetSecretValue(
      openApiKmsClient(cloud.kms.endpoint, {
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        securityToken: credentials.securityToken,
      }),
      { SecretName: 'sts-secret' },
    );
    expect(body['SecretName']).toBe('sts-secret');
    expect(cloud.counters.list().find((r) => r.service === 'sts')).toMatchObject({
      action: 'AssumeRole',
      signatureMethod: 'HMAC-SHA1',
      outcome: 'ok',
    });
  });

  it('rejects a wrong caller secret so that the provider recognises it', async () => {
    const { accessKeyId } = cloud.createKmsAccessKey();
    const error = await rejectionOf(
      assumeRoleProvider({ accessKeyId, accessKeySecret: 'wrong' }).getCredentials(),
    );
    // The provider compares our "server string to sign" with its own to tell a bad secret apart.
    expect(error.message).toBe('the access key secret is invalid');
  });

  it('answers AssumeRoleWithOIDC for a token it issued, and refuses others', async () => {
    const tokenFile = join(dir, 'token');
    const build = () =>
      cloud.sts.redirect(
        OidcRoleArnProvider.builder()
          .withRoleArn(ROLE_ARN)
          .withOIDCProviderArn('acs:ram::1234567890123456:oidc-provider/fake')
          .withOIDCTokenFilePath(tokenFile)
          .withRoleSessionName('oidc-session')
          .build(),
      );
    writeFileSync(tokenFile, cloud.sts.createOidcToken());
    await expect(build().getCredentials()).resolves.toMatchObject({
      accessKeyId: expect.stringMatching(/^STS\./),
    });
    writeFileSync(tokenFile, 'eyJ.forged.token');
    const error = await rejectionOf(build().getCredentials());
    expect(error.message).toContain('AuthenticationFail.OIDCToken.Invalid');
  });

  it('answers a malformed RoleArn with 400 InvalidParameter.RoleArn', async () => {
    const caller = cloud.createKmsAccessKey();
    const base = StaticAkProvider.builder()
      .withAccessKeyId(caller.accessKeyId)
      .withAccessKeySecret(caller.accessKeySecret)
      .build();
    const provider = cloud.sts.redirect(
      RamRoleArnProvider.builder()
        .withCredentialsProvider(base)
        .withRoleArn('not-an-arn')
        .withRoleSessionName('s1')
        .build(),
    );
    const error = await rejectionOf(provider.getCredentials());
    expect(error.message).toContain('InvalidParameter.RoleArn');
    expect(cloud.counters.count({ service: 'sts', outcome: 'InvalidParameter.RoleArn' })).toBe(1);
  });
});
