import { Readable, Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NonReplayableCallError } from 'managed-credentials';
import type { FakeCloud } from 'managed-credentials-fake-cloud';
import { createWorld, startCloud, type OssWorld } from './support/oss-world.js';

let cloud: FakeCloud;
let world: OssWorld;

beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await cloud.close();
});
beforeEach(async () => {
  world = await createWorld(cloud);
});
afterEach(async () => {
  await world.close();
});

const PART = 100 * 1024; // ali-oss's minimum part size
const body = (size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => i % 251));

describe('multipart upload spanning a rotation', () => {
  it('low-level init / uploadPart / complete: the part after the rotation is retried with the new key', async () => {
    const client = world.client();
    const data = body(2 * PART + 10);
    const { uploadId } = await client.initMultipartUpload('mp/low.bin');
    const part1 = await client.uploadPart('mp/low.bin', uploadId, 1, data, 0, PART);
    cloud.rotate(world.secretName, { revokeOld: 'now' });
    const part2 = await client.uploadPart('mp/low.bin', uploadId, 2, data, PART, 2 * PART);
    const part3 = await client.uploadPart('mp/low.bin', uploadId, 3, data, 2 * PART, data.length);
    const parts = [part1, part2, part3].map((p, i) => ({ number: i + 1, etag: p.etag }));
    await client.completeMultipartUpload('mp/low.bin', uploadId, parts);

    expect((await client.get('mp/low.bin')).content.equals(data)).toBe(true);
    expect(world.kmsFetches()).toBe(2);
  });

  it('multipartUpload resumes the same upload after the rotation instead of starting over', async () => {
    const client = world.client();
    const data = body(3 * PART + 7);
    const initiatedBefore = cloud.counters.count({
      service: 'oss',
      action: 'InitiateMultipartUpload',
      outcome: 'ok',
    });
    const partsBefore = cloud.counters.count({ service: 'oss', action: 'UploadPart', outcome: 'ok' });
    let rotated = false;
    const seen: number[] = [];
    await client.multipartUpload('mp/managed.bin', data, {
      partSize: PART,
      parallel: 1,
      progress: (percentage: number) => {
        seen.push(percentage);
        // After the first part is stored, the key it was signed with is revoked.
        if (!rotated && percentage > 0) {
          rotated = true;
          cloud.rotate(world.secretName, { revokeOld: 'now' });
        }
      },
    });

    expect((await client.get('mp/managed.bin')).content.equals(data)).toBe(true);
    expect(world.kmsFetches()).toBe(2);
    expect(cloud.counters.count({ service: 'oss', action: 'InitiateMultipartUpload', outcome: 'ok' })).toBe(
      initiatedBefore + 1,
    );
    expect(cloud.counters.count({ service: 'oss', action: 'UploadPart', outcome: 'ok' })).toBe(
      partsBefore + 4,
    );
    expect(seen.at(-1)).toBeGreaterThan(0.5);
  });
});

describe('client.cancel() during a multipartUpload', () => {
  it("stops the upload as on a bare client (the state the upload writes is the client's), and the next upload runs", async () => {
    const client = world.client();
    const data = body(4 * PART);
    const partsBefore = cloud.counters.count({ service: 'oss', action: 'UploadPart', outcome: 'ok' });
    const error = await client
      .multipartUpload('mp/cancelled.bin', data, {
        partSize: PART,
        parallel: 1,
        progress: (percentage: number) => {
          if (percentage > 0) client.cancel();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'cancel' });
    expect(cloud.counters.count({ service: 'oss', action: 'UploadPart', outcome: 'ok' })).toBeLessThan(
      partsBefore + 4,
    );

    await client.multipartUpload('mp/after-cancel.bin', data, { partSize: PART, parallel: 1 });
    expect((await client.get('mp/after-cancel.bin')).content.equals(data)).toBe(true);
    expect(world.kmsFetches()).toBe(1);
  });
});

describe('one call signs with one key', () => {
  it('a refresh during a multipartUpload does not change the key its remaining parts are signed with', async () => {
    const client = world.client();
    await client.ready();
    const oldKeyId = cloud.currentAccessKey(world.secretName)!.accessKeyId;
    const records = cloud.counters.list().length;
    let refreshed = false;
    await client.multipartUpload('mp/one-key.bin', body(3 * PART), {
      partSize: PART,
      parallel: 1,
      progress: async (percentage: number) => {
        if (refreshed || percentage === 0) return;
        refreshed = true;
        cloud.rotate(world.secretName); // the old key stays valid
        await world.provider.refreshSecret(world.secretName);
      },
    });
    const parts = cloud.counters
      .list()
      .slice(records)
      .filter((r) => r.service === 'oss' && r.action === 'UploadPart');
    expect(parts).toHaveLength(3);
    expect(parts.every((r) => r.accessKeyId === oldKeyId)).toBe(true);

    const newKeyId = cloud.currentAccessKey(world.secretName)!.accessKeyId;
    expect(newKeyId).not.toBe(oldKeyId);
    await client.put('after.txt', Buffer.from('x'));
    expect(cloud.counters.list().at(-1)).toMatchObject({ action: 'PutObject', accessKeyId: newKeyId });
  });
});

describe('calls whose body is a stream', () => {
  it('a consumed stream is not replayed: NonReplayableCallError, and the key is refreshed for the next call', async () => {
    const client = world.client();
    await client.ready();
    cloud.rotate(world.secretName, { revokeOld: 'now' });

    const error = await client
      .putStream('s/once.txt', Readable.from([Buffer.from('stream body')]))
      .catch((e) => e);
    expect(error).toBeInstanceOf(NonReplayableCallError);
    expect((error as NonReplayableCallError).code).toBe('MC_CALL_NOT_REPLAYABLE');
    expect((error as Error).cause).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 });
    expect(world.kmsFetches()).toBe(2);

    await client.putStream('s/once.txt', Readable.from([Buffer.from('stream body')]));
    expect((await client.get('s/once.txt')).content.toString()).toBe('stream body');
    expect(world.kmsFetches()).toBe(2);
  });

  it('put of a stream follows the same rule', async () => {
    const client = world.client();
    await client.ready();
    cloud.rotate(world.secretName, { revokeOld: 'now' });
    await expect(client.put('s/put.txt', Readable.from([Buffer.from('x')]))).rejects.toBeInstanceOf(
      NonReplayableCallError,
    );
  });

  it('with bufferStreams the stream is buffered and the call is retried', async () => {
    const client = world.client({ bufferStreams: true });
    await client.ready();
    cloud.rotate(world.secretName, { revokeOld: 'now' });

    const chunks = [Buffer.from('buffered '), Buffer.from('stream')];
    const result = await client.putStream('s/buffered.txt', Readable.from(chunks));
    expect(result.res.status).toBe(200);
    expect((await client.get('s/buffered.txt')).content.toString()).toBe('buffered stream');
    expect(world.kmsFetches()).toBe(2);
  });

  it('a get into a Writable that received the error answer is not replayed either', async () => {
    const client = world.client();
    await client.put('s/sink.txt', Buffer.from('sink body'));
    cloud.rotate(world.secretName, { revokeOld: 'now' });
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    await expect(client.get('s/sink.txt', sink)).rejects.toBeInstanceOf(NonReplayableCallError);
    expect(world.kmsFetches()).toBe(2);
    expect((await client.get('s/sink.txt')).content.toString()).toBe('sink body');
  });

  it('getStream is retried (its body is the response)', async () => {
    const client = world.client();
    await client.put('s/read.txt', Buffer.from('read me'));
    cloud.rotate(world.secretName, { revokeOld: 'now' });
    const { stream } = await client.getStream('s/read.txt');
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('read me');
  });
});
