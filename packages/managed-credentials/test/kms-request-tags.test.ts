/**
 * Liveness and no process-wide cost (SPEC §5, issue 14): a KMS attempt's
 * requests are recognised by a header of their own (`kms/tagged-requests.ts`),
 * and Node's HTTP diagnostics channels are subscribed only while an attempt is
 * in progress — after an answer, a failure, a time limit or an abort, no tag
 * is held and the application's own requests meet no subscriber.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { startFakeCloud, whenRequestsArrive, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsCaller } from '../src/kms/kms-caller.js';
import { SharedGatewayClient } from '../src/kms/shared-gateway-client.js';
import { OWNER_HEADER, tagsInUse } from '../src/kms/tagged-requests.js';

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await startFakeCloud();
});

afterAll(async () => {
  await cloud.close();
});

function client(timeoutMs?: number): SharedGatewayClient {
  const key = cloud.createKmsAccessKey();
  return new SharedGatewayClient({
    endpoint: cloud.kms.endpoint,
    regionId: 'cn-hangzhou',
    caller: createKmsCaller({
      type: 'ak',
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
    }),
    timeoutMs,
  });
}

const subscribed = (): boolean => diagnosticsChannel.hasSubscribers('http.client.request.start');

describe('request tags of KMS attempts', () => {
  it('are held only while an attempt is in progress: none after an answer, a failure, a time limit or an abort', async () => {
    cloud.createRamSecret('tagged');
    const kms = client();
    const impatient = client(300);
    const seen: string[] = [];
    const onStart = (message: unknown): void => {
      const header = (message as { request: { getHeader(name: string): unknown } }).request.getHeader(
        OWNER_HEADER,
      );
      if (typeof header === 'string') seen.push(header);
    };
    diagnosticsChannel.subscribe('http.client.request.start', onStart);
    try {
      await kms.getSecretValue('tagged');
      expect(seen).toHaveLength(1);
      diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
      expect([tagsInUse(), subscribed()]).toEqual([0, false]);

      cloud.faults.kms.failNext(1, 'reset');
      await expect(kms.getSecretValue('tagged')).rejects.toMatchObject({ retryable: true });
      expect([tagsInUse(), subscribed()]).toEqual([0, false]);

      cloud.faults.kms.setLatency(2_000);
      await expect(impatient.getSecretValue('tagged')).rejects.toMatchObject({ retryable: true });
      await expect.poll(() => [tagsInUse(), subscribed()]).toEqual([0, false]);
      const controller = new AbortController();
      const arrived = whenRequestsArrive(cloud.kms.endpoint, 1, () => controller.abort(new Error('gave up')));
      const aborted = kms.getSecretValue('tagged', { signal: controller.signal });
      await arrived;
      expect(tagsInUse()).toBe(1);
      await expect(aborted).rejects.toThrow('gave up');
      // The stopped request settles the SDK's call, which releases the tag.
      await expect.poll(() => [tagsInUse(), subscribed()]).toEqual([0, false]);
    } finally {
      diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
      cloud.faults.kms.clear();
      kms.close();
      impatient.close();
    }
  });
});
