import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type AccessKeyPair, type FakeCloud } from '../src/index.js';
import { failureOf, ossClient } from './oss-helpers.js';

const BUCKET = 'auth-bucket';
let cloud: FakeCloud;
let key: AccessKeyPair;

beforeAll(async () => {
  cloud = await startFakeCloud();
  key = cloud.createRamSecret('oss-auth').accessKey!;
  const client = ossClient(cloud.oss.endpoint, key, { bucket: BUCKET });
  await client.putBucket(BUCKET);
  await client.put('present.txt', Buffer.from('present'));
});
afterAll(async () => {
  await cloud.close();
});

describe.each([false, true])('request signatures with V4=%s', (v4) => {
  it('rejects a wrong AccessKeySecret with 403 SignatureDoesNotMatch', async () => {
    const wrong = ossClient(
      cloud.oss.endpoint,
      { ...key, accessKeySecret: `${key.accessKeySecret}x` },
      { bucket: BUCKET, v4 },
    );
    const error = await failureOf(wrong.get('present.txt'));
    expect(error).toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 403,
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    });
    expect(error.requestId).toMatch(/^[0-9A-F]{24}$/);
    // HEAD answers have no body: the code travels base64-encoded in x-oss-err.
    expect(await failureOf(wrong.head('present.txt'))).toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 403,
    });
    expect(await failureOf(wrong.listBuckets({}))).toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 403,
    });
  });

  it('rejects an unknown AccessKeyId with 403 InvalidAccessKeyId', async () => {
    const unknown = ossClient(
      cloud.oss.endpoint,
      { accessKeyId: 'LTAI5tUnknownKey000000', accessKeySecret: 'x' },
      { bucket: BUCKET, v4 },
    );
    for (const call of [
      unknown.get('present.txt'),
      unknown.put('n.txt', Buffer.from('n')),
      unknown.head('present.txt'),
    ]) {
      expect(await failureOf(call)).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 });
    }
    expect(await failureOf(unknown.listBuckets({}))).toMatchObject({
      code: 'InvalidAccessKeyId',
      status: 403,
      message: 'The OSS Access Key Id you provided does not exist in our records.',
    });
  });

  it('rejects the old key after rotate + revoke and accepts the new one', async () => {
    const secretName = `oss-rotation-${v4}`;
    const old = cloud.createRamSecret(secretName).accessKey!;
    const oldClient = ossClient(cloud.oss.endpoint, old, { bucket: BUCKET, v4 });
    expect((await oldClient.get('present.txt')).content.toString()).toBe('present');

    const rotated = cloud.rotate(secretName, { revokeOld: 'now' });
    expect(await failureOf(oldClient.get('present.txt'))).toMatchObject({
      code: 'InvalidAccessKeyId',
      status: 403,
    });
    const fresh = ossClient(cloud.oss.endpoint, rotated.accessKey, { bucket: BUCKET, v4 });
    expect((await fresh.get('present.txt')).content.toString()).toBe('present');
  });
});

describe('V4 additional headers', () => {
  it('verifies a request that signs Content-Length and User-Agent as well', async () => {
    const client = ossClient(cloud.oss.endpoint, key, { bucket: BUCKET, v4: true });
    const put = await client.put('signed-host.txt', Buffer.from('h'), {
      additionalHeaders: ['Content-Length', 'User-Agent'],
    } as never);
    expect(put.res.status).toBe(200);
    const wrong = ossClient(
      cloud.oss.endpoint,
      { ...key, accessKeySecret: 'nope' },
      { bucket: BUCKET, v4: true },
    );
    expect(
      await failureOf(
        wrong.put('signed-host.txt', Buffer.from('h'), {
          additionalHeaders: ['Content-Length', 'User-Agent'],
        } as never),
      ),
    ).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });
});

describe('what the emulator notes', () => {
  it('counts OSS requests per action and outcome, with the signing method', async () => {
    cloud.counters.reset();
    const client = ossClient(cloud.oss.endpoint, key, { bucket: BUCKET, v4: true });
    await client.put('counted.txt', Buffer.from('1'));
    const wrong = ossClient(cloud.oss.endpoint, { ...key, accessKeySecret: 'nope' }, { bucket: BUCKET });
    await failureOf(wrong.get('counted.txt'));
    expect(cloud.counters.count({ service: 'oss', action: 'PutObject', outcome: 'ok' })).toBe(1);
    expect(
      cloud.counters.count({ service: 'oss', action: 'GetObject', outcome: 'SignatureDoesNotMatch' }),
    ).toBe(1);
    const records = cloud.counters.list().filter((r) => r.service === 'oss');
    expect(records.map((r) => [r.action, r.accessKeyId, r.signatureMethod])).toEqual([
      ['PutObject', key.accessKeyId, 'OSS4-HMAC-SHA256'],
      ['GetObject', key.accessKeyId, 'HMAC-SHA1'],
    ]);
  });

  it('refuses an unsigned request with 403 AccessDenied', async () => {
    const response = await fetch(`${cloud.oss.endpoint}/${BUCKET}/present.txt`);
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(response.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
  });
});
