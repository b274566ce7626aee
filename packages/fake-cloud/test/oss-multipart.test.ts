import { createHash } from 'node:crypto';
import type OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../src/index.js';
import { failureOf, ossClient } from './oss-helpers.js';

const KIB = 1024;
let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await startFakeCloud();
});
afterAll(async () => {
  await cloud.close();
});

/** Deterministic bytes whose parts all differ, so a part sent twice or out of order changes the result. */
function payload(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
  return bytes;
}

/** The ETag OSS gives a multipart object: MD5 of the parts' binary MD5s, dash, part count. */
function multipartETag(parts: Buffer[]): string {
  const digests = parts.map((part) => createHash('md5').update(part).digest());
  return `"${createHash('md5').update(Buffer.concat(digests)).digest('hex').toUpperCase()}-${parts.length}"`;
}

describe.each([false, true])('multipart upload with V4=%s', (v4) => {
  const bucket = `multipart-${v4 ? 'v4' : 'v1'}`;
  let client: OSS;

  beforeAll(async () => {
    const key = cloud.createRamSecret(`multipart-${v4}`).accessKey!;
    client = ossClient(cloud.oss.endpoint, key, { bucket, v4 });
    await client.putBucket(bucket);
  });

  it('multipartUpload splits a buffer larger than the part size and the object reads back whole', async () => {
    const body = payload(350 * KIB);
    const progress: number[] = [];
    const result = await client.multipartUpload('big/file.bin', body, {
      partSize: 100 * KIB,
      progress: (p: number) => {
        progress.push(p);
      },
    });
    const parts = [0, 1, 2, 3].map((i) =>
      body.subarray(i * 100 * KIB, Math.min((i + 1) * 100 * KIB, body.length)),
    );
    expect(result.etag).toBe(multipartETag(parts));
    expect(progress.at(-1)).toBe(1);
    const got = await client.get('big/file.bin');
    expect(got.content.equals(body)).toBe(true);
    expect((got.res.headers as Record<string, string>)['x-oss-object-type']).toBe('Multipart');
  });

  it('initMultipartUpload, uploadPart, listParts and completeMultipartUpload assemble the parts in order', async () => {
    const body = payload(250 * KIB);
    const name = 'low-level/object.bin';
    const init = await client.initMultipartUpload(name);
    expect(init).toMatchObject({ bucket, name });
    expect(init.uploadId).toMatch(/^[0-9A-F]{32}$/);
    // Parts uploaded out of order still complete in part-number order.
    const second = await client.uploadPart(name, init.uploadId, 2, body, 120 * KIB, body.length);
    const first = await client.uploadPart(name, init.uploadId, 1, body, 0, 120 * KIB);

    const listed = await client.listParts(name, init.uploadId, {} as OSS.ListPartsQuery, {});
    expect(
      (listed.parts as unknown as Array<{ PartNumber: string; Size: string }>).map((p) => [
        p.PartNumber,
        p.Size,
      ]),
    ).toEqual([
      ['1', String(120 * KIB)],
      ['2', String(130 * KIB)],
    ]);

    const done = await client.completeMultipartUpload(name, init.uploadId, [
      { number: 2, etag: second.etag },
      { number: 1, etag: first.etag },
    ]);
    expect(done.etag).toBe(multipartETag([body.subarray(0, 120 * KIB), body.subarray(120 * KIB)]));
    expect((await client.get(name)).content.equals(body)).toBe(true);
    expect(
      await failureOf(client.listParts(name, init.uploadId, {} as OSS.ListPartsQuery, {})),
    ).toMatchObject({
      code: 'NoSuchUpload',
      status: 404,
    });
  });

  it('refuses a wrong part ETag, a too small middle part, and an aborted upload', async () => {
    const name = 'low-level/refused.bin';
    const init = await client.initMultipartUpload(name);
    const small = Buffer.from('too small for a middle part');
    const p1 = await client.uploadPart(name, init.uploadId, 1, small, 0, small.length);
    const p2 = await client.uploadPart(name, init.uploadId, 2, small, 0, small.length);
    expect(
      await failureOf(client.completeMultipartUpload(name, init.uploadId, [{ number: 1, etag: '"0000"' }])),
    ).toMatchObject({ code: 'InvalidPart', status: 400 });
    expect(
      await failureOf(
        client.completeMultipartUpload(name, init.uploadId, [
          { number: 1, etag: p1.etag },
          { number: 2, etag: p2.etag },
        ]),
      ),
    ).toMatchObject({ code: 'EntityTooSmall', status: 400 });

    await client.abortMultipartUpload(name, init.uploadId);
    expect(await failureOf(client.uploadPart(name, init.uploadId, 3, small, 0, small.length))).toMatchObject({
      code: 'NoSuchUpload',
      status: 404,
    });
    expect(await failureOf(client.get(name))).toMatchObject({ code: 'NoSuchKey' });
  });

  it('lists pending uploads of the bucket', async () => {
    const init = await client.initMultipartUpload('pending/one.bin');
    const { uploads } = await client.listUploads({}, {});
    expect(uploads).toContainEqual(
      expect.objectContaining({ name: 'pending/one.bin', uploadId: init.uploadId }),
    );
    await client.abortMultipartUpload('pending/one.bin', init.uploadId);
  });
});
