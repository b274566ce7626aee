import OSS from 'ali-oss';
import { afterEach, describe, expect, it } from 'vitest';
import { listPage } from '../src/oss/listing.js';
import { OssStore } from '../src/oss/store.js';
import { failureOf, ossClient } from './oss-helpers.js';
import { startOssHarness, type OssHarness } from './oss-harness.js';

const KEY = {
  accessKeyId: 'LTAI5tHarnessKey000001',
  accessKeySecret: 'harness-secret-0123456789abcd',
  revoked: false,
};
let harness: OssHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('the store behind the handler', () => {
  it('serves buckets created through OssStore and shows what clients stored', async () => {
    const store = new OssStore({ buckets: ['preset'] });
    harness = await startOssHarness({ store });
    harness.keys.set(KEY.accessKeyId, KEY);
    const client = ossClient(harness.endpoint, KEY, { bucket: 'preset', v4: true });
    await client.put('seen.txt', Buffer.from('stored'));
    expect(harness.handler.store).toBe(store);
    expect(store.getObject('preset', 'seen.txt')?.body.toString()).toBe('stored');
    expect(store.usedBytes).toBe(6);
  });

  it('refuses to hold more than maxBytes and frees space on delete', async () => {
    harness = await startOssHarness({ store: new OssStore({ buckets: ['tiny'], maxBytes: 10 }) });
    harness.keys.set(KEY.accessKeyId, KEY);
    const client = ossClient(harness.endpoint, KEY, { bucket: 'tiny' });
    await client.put('a', Buffer.alloc(8));
    expect(await failureOf(client.put('b', Buffer.alloc(8)))).toMatchObject({
      code: 'EntityTooLarge',
      status: 400,
    });
    await client.delete('a');
    await client.put('b', Buffer.alloc(8));
    expect(harness.handler.store.usedBytes).toBe(8);
  });

  it('finds the bucket from the signature when a cname client sends none', async () => {
    harness = await startOssHarness({ store: new OssStore({ buckets: ['first', 'second'] }) });
    harness.keys.set(KEY.accessKeyId, KEY);
    const cname = new OSS({
      ...KEY,
      endpoint: harness.endpoint.replace('127.0.0.1', 'localhost'),
      cname: true,
      bucket: 'second',
    });
    await cname.put('via-cname.txt', Buffer.from('c'));
    expect(harness.handler.store.getObject('second', 'via-cname.txt')?.body.toString()).toBe('c');
    expect(harness.handler.store.getObject('first', 'via-cname.txt')).toBeUndefined();
  });
});

describe('STS keys', () => {
  const STS = {
    accessKeyId: 'STS.NTHarnessStsKey0001',
    accessKeySecret: 'sts-secret-0123456789abcdefgh',
    revoked: false,
    securityToken: 'CAIStoken',
  };

  it('accepts the key with its security token and refuses it without, with a V1 signed URL too', async () => {
    harness = await startOssHarness({ store: new OssStore({ buckets: ['sts-bucket'] }) });
    harness.keys.set(STS.accessKeyId, STS);
    for (const v4 of [false, true]) {
      const withToken = ossClient(harness.endpoint, STS, {
        bucket: 'sts-bucket',
        v4,
        stsToken: STS.securityToken,
      });
      await withToken.put(`sts-${v4}.txt`, Buffer.from('ok'));
      const withoutToken = ossClient(harness.endpoint, STS, { bucket: 'sts-bucket', v4 });
      expect(await failureOf(withoutToken.get(`sts-${v4}.txt`))).toMatchObject({
        code: 'InvalidAccessKeyId',
        status: 403,
        message: 'The security token you provided is invalid.',
      });
      const wrongToken = ossClient(harness.endpoint, STS, {
        bucket: 'sts-bucket',
        v4,
        stsToken: 'CAISother',
      });
      expect(await failureOf(wrongToken.get(`sts-${v4}.txt`))).toMatchObject({ code: 'InvalidAccessKeyId' });
    }
    const urlClient = ossClient(harness.endpoint, STS, {
      bucket: 'sts-bucket',
      addressing: 'path-style',
      stsToken: STS.securityToken,
    });
    const url = urlClient.signatureUrl('sts-false.txt');
    expect(new URL(url).searchParams.get('security-token')).toBe(STS.securityToken);
    expect(await (await fetch(url)).text()).toBe('ok');
  });
});

describe('signed URL expiry follows the injected clock', () => {
  it('accepts a V4 URL until x-oss-date + x-oss-expires and refuses it after', async () => {
    let now = Date.now();
    harness = await startOssHarness({ store: new OssStore({ buckets: ['clocked'] }), now: () => now });
    harness.keys.set(KEY.accessKeyId, KEY);
    const client = ossClient(harness.endpoint, KEY, { bucket: 'clocked', v4: true });
    await client.put('t.txt', Buffer.from('t'));
    const url = await client.signatureUrlV4('GET', 60, undefined, 't.txt');
    expect((await fetch(url)).status).toBe(200);
    now += 61_000;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Message>Request has expired.</Message>');
  });
});

describe('listPage', () => {
  const keys = ['a/1', 'a/2', 'a/b/3', 'a/b/4', 'a/c/5', 'b'];

  it('rolls keys up into common prefixes that count against max-keys', () => {
    expect(listPage(keys, { prefix: 'a/', after: '', delimiter: '/', maxKeys: 3 })).toEqual({
      keys: ['a/1', 'a/2'],
      commonPrefixes: ['a/b/'],
      isTruncated: true,
      nextMarker: 'a/b/',
    });
    expect(listPage(keys, { prefix: 'a/', after: 'a/b/', delimiter: '/', maxKeys: 3 })).toEqual({
      keys: [],
      commonPrefixes: ['a/c/'],
      isTruncated: false,
      nextMarker: undefined,
    });
  });

  it('pages through every key exactly once without a delimiter', () => {
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const page = listPage(keys, { prefix: '', after, delimiter: '', maxKeys: 4 });
      seen.push(...page.keys);
      if (!page.isTruncated) break;
      after = page.nextMarker ?? '';
    }
    expect(seen).toEqual(keys);
  });
});
