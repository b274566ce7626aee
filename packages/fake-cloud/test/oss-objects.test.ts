import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type AccessKeyPair, type FakeCloud } from '../src/index.js';
import { failureOf, listBuckets, ossClient, withMeta, type OssAddressing } from './oss-helpers.js';

let cloud: FakeCloud;
let key: AccessKeyPair;

beforeAll(async () => {
  cloud = await startFakeCloud();
  key = cloud.createRamSecret('oss-objects').accessKey!;
});
afterAll(async () => {
  await cloud.close();
});

const variants: Array<{ v4: boolean; addressing: OssAddressing }> = [
  { v4: false, addressing: 'ip-endpoint' },
  { v4: false, addressing: 'path-style' },
  { v4: true, addressing: 'ip-endpoint' },
  { v4: true, addressing: 'path-style' },
];

describe.each(variants)('ali-oss signing $addressing with V4=$v4', ({ v4, addressing }) => {
  const bucket = `objects-${v4 ? 'v4' : 'v1'}-${addressing}`;
  let client: OSS;

  beforeAll(async () => {
    client = ossClient(cloud.oss.endpoint, key, { bucket, v4, addressing });
    const created = await client.putBucket(bucket);
    expect(created.bucket).toBe(bucket);
  });

  it('lists the bucket in ListBuckets with owner and region', async () => {
    const result = await listBuckets(client);
    const mine = result.buckets?.find((b) => b.name === bucket);
    expect(mine).toMatchObject({ name: bucket, region: 'oss-cn-hangzhou', storageClass: 'Standard' });
    expect(result.owner.id).toMatch(/^\d+$/);
    expect(result.res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
  });

  it('puts, gets, heads and deletes an object with metadata', async () => {
    const put = await client.put(
      'docs/hello.txt',
      Buffer.from('hello oss'),
      withMeta<OSS.PutObjectOptions>({ owner: 'tests' }),
    );
    expect(put.res.status).toBe(200);
    expect((put.res.headers as Record<string, string>)['etag']).toBe('"' + md5Hex('hello oss') + '"');

    const got = await client.get('docs/hello.txt');
    expect(got.content.toString()).toBe('hello oss');
    expect((got.res.headers as Record<string, string>)['content-type']).toBe('text/plain');

    const head = await client.head('docs/hello.txt');
    expect(head.status).toBe(200);
    expect(head.meta).toEqual({ owner: 'tests' });

    await client.delete('docs/hello.txt');
    const missing = await failureOf(client.get('docs/hello.txt'));
    expect(missing).toMatchObject({ code: 'NoSuchKey', status: 404 });
    const missingHead = await failureOf(client.head('docs/hello.txt'));
    expect(missingHead).toMatchObject({ code: 'NoSuchKey', status: 404 });
  });

  it('lists with prefix, delimiter, marker and max-keys (V1) and continuation (V2)', async () => {
    for (const name of ['list/a.txt', 'list/b.txt', 'list/c.txt', 'list/sub/d.txt', 'other.txt']) {
      await client.put(name, Buffer.from(name));
    }
    const first = await client.list({ prefix: 'list/', delimiter: '/', 'max-keys': 2 }, {});
    expect(first.objects.map((o) => o.name)).toEqual(['list/a.txt', 'list/b.txt']);
    expect(first.isTruncated).toBe(true);
    expect(first.objects[0]).toMatchObject({ size: 10, type: 'Normal', storageClass: 'Standard' });
    const second = await client.list(
      { prefix: 'list/', delimiter: '/', marker: first.nextMarker!, 'max-keys': 2 },
      {},
    );
    expect(second.objects.map((o) => o.name)).toEqual(['list/c.txt']);
    expect(second.prefixes).toEqual(['list/sub/']);
    expect(second.isTruncated).toBe(false);

    const v2first = await client.listV2({ prefix: 'list/', 'max-keys': '3' }, {});
    expect(v2first.objects.map((o) => o.name)).toEqual(['list/a.txt', 'list/b.txt', 'list/c.txt']);
    expect(v2first.keyCount).toBe(3);
    expect(v2first.nextContinuationToken).toBeTruthy();
    const v2second = await client.listV2(
      { prefix: 'list/', 'max-keys': '3', 'continuation-token': v2first.nextContinuationToken! },
      {},
    );
    expect(v2second.objects.map((o) => o.name)).toEqual(['list/sub/d.txt']);
    expect(v2second.isTruncated).toBe(false);
  });

  it('copies an object within the bucket, keeping or replacing metadata', async () => {
    await client.put(
      'copy/source.json',
      Buffer.from('{"a":1}'),
      withMeta<OSS.PutObjectOptions>({ kept: 'yes' }),
    );
    const copied = await client.copy('copy/target.json', 'copy/source.json');
    expect(copied.res.status).toBe(200);
    expect(copied.data?.etag).toBe('"' + md5Hex('{"a":1}') + '"');
    expect((await client.get('copy/target.json')).content.toString()).toBe('{"a":1}');
    expect((await client.head('copy/target.json')).meta).toEqual({ kept: 'yes' });

    await client.copy(
      'copy/replaced.json',
      'copy/source.json',
      withMeta<OSS.CopyObjectOptions>({ fresh: '1' }),
    );
    expect((await client.head('copy/replaced.json')).meta).toEqual({ fresh: '1' });

    const missing = await failureOf(client.copy('copy/x', 'copy/does-not-exist'));
    expect(missing).toMatchObject({ code: 'NoSuchKey', status: 404 });
  });

  it('deletes several objects at once with deleteMulti', async () => {
    for (const name of ['multi/1', 'multi/2&<3>']) await client.put(name, Buffer.from(name));
    const result = await client.deleteMulti(['multi/1', 'multi/2&<3>', 'multi/never-existed']);
    expect((result.deleted ?? []).map((d) => (d as unknown as { Key: string }).Key)).toEqual([
      'multi/1',
      'multi/2&<3>',
      'multi/never-existed',
    ]);
    expect((await client.list({ prefix: 'multi/', 'max-keys': 100 }, {})).objects).toEqual([]);
  });

  it('streams an object in with putStream and out with getStream', async () => {
    const chunks = ['stream ', 'of ', 'chunks'];
    await client.putStream('stream/chunked.txt', Readable.from(chunks.map((c) => Buffer.from(c))));
    const { stream } = await client.getStream('stream/chunked.txt');
    expect(await text(stream as Readable)).toBe('stream of chunks');
  });

  it('keeps keys with spaces, plus signs, parentheses and non-ASCII letters intact', async () => {
    const name = "odd keys/a b+c (1)!'*~ \u00fcml\u00e4ut \u6587\u4ef6.txt";
    await client.put(name, Buffer.from('odd'));
    expect((await client.get(name)).content.toString()).toBe('odd');
    const listed = await client.list({ prefix: 'odd keys/', 'max-keys': 100 }, {});
    expect(listed.objects.map((o) => o.name)).toEqual([name]);
    await client.copy(`${name}.copy`, name);
    expect((await client.get(`${name}.copy`)).content.toString()).toBe('odd');
  });

  it('serves byte ranges and conditional reads', async () => {
    const put = await client.put('range.bin', Buffer.from('0123456789'));
    const part = await client.get('range.bin', { headers: { Range: 'bytes=2-5' } });
    expect(part.res.status).toBe(206);
    expect(part.content.toString()).toBe('2345');
    const tail = await client.get('range.bin', { headers: { Range: 'bytes=-3' } });
    expect(tail.content.toString()).toBe('789');
    const etag = (put.res.headers as Record<string, string>)['etag'] ?? '';
    const unchanged = await client.get('range.bin', { headers: { 'If-None-Match': etag } });
    expect(unchanged.res.status).toBe(304);
    expect(await failureOf(client.get('range.bin', { headers: { 'If-Match': '"0"' } }))).toMatchObject({
      code: 'PreconditionFailed',
      status: 412,
    });
  });

  it('answers NoSuchBucket for a bucket that was never created', async () => {
    const stranger = ossClient(cloud.oss.endpoint, key, { bucket: `${bucket}-none`, v4, addressing });
    expect(await failureOf(stranger.put('x', Buffer.from('x')))).toMatchObject({
      code: 'NoSuchBucket',
      status: 404,
    });
    expect(await failureOf(stranger.list({ 'max-keys': 100 }, {}))).toMatchObject({
      code: 'NoSuchBucket',
      status: 404,
    });
  });
});

describe('buckets', () => {
  it('refuses to create a bucket twice and to delete a bucket that holds objects', async () => {
    const client = ossClient(cloud.oss.endpoint, key, { bucket: 'bucket-life' });
    await client.putBucket('bucket-life');
    expect(await failureOf(client.putBucket('bucket-life'))).toMatchObject({
      code: 'BucketAlreadyExists',
      status: 409,
    });
    await client.put('k', Buffer.from('v'));
    expect(await failureOf(client.deleteBucket('bucket-life'))).toMatchObject({
      code: 'BucketNotEmpty',
      status: 409,
    });
    const info = await client.getBucketInfo('bucket-life');
    expect(info.bucket).toMatchObject({
      Name: 'bucket-life',
      Location: 'oss-cn-hangzhou',
      StorageClass: 'Standard',
    });
    expect((await client.getBucketLocation('bucket-life')).location).toBe('oss-cn-hangzhou');
    await client.delete('k');
    await client.deleteBucket('bucket-life');
    const names = (await listBuckets(client)).buckets?.map((b) => b.name) ?? [];
    expect(names).not.toContain('bucket-life');
  });
});

function md5Hex(text: string): string {
  return createHash('md5').update(text).digest('hex').toUpperCase();
}
