import * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { decodeInstanceError } from '../src/dkms/index.js';
import { startFakeCloud, type FakeCloud } from '../src/index.js';
import { callGetSecretValue, Ecs, hostOf, openApiKmsClient, rejectionOf } from './helpers.js';

describe('faults and counters', () => {
  let cloud: FakeCloud;
  let getSecret: (runtime?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  beforeAll(async () => {
    cloud = await startFakeCloud();
    cloud.createRamSecret('faulty');
    const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey());
    getSecret = (runtime = {}) => callGetSecretValue(client, { SecretName: 'faulty' }, runtime);
  });
  beforeEach(() => {
    for (const service of ['kms', 'ecs', 'oss', 'metadata', 'dkms'] as const) cloud.faults(service).clear();
    cloud.counters.reset();
  });
  afterAll(() => cloud.close());

  it('fails the next N requests with HTTP 500 InternalError, then recovers', async () => {
    cloud.faults.kms.failNext(2);
    expect(cloud.kms.faults.pendingFailures).toBe(2);
    for (let i = 0; i < 2; i++) {
      const error = await rejectionOf(getSecret());
      expect(error.code).toBe('InternalError');
      expect(error.status).toBe(500);
    }
    await expect(getSecret()).resolves.toMatchObject({ SecretName: 'faulty' });
    expect(cloud.counters.count({ service: 'kms', outcome: 'InternalError' })).toBe(2);
    // Faulted requests are still attributed to their action and secret.
    expect(cloud.counters.count({ action: 'GetSecretValue', secretName: 'faulty' })).toBe(3);
  });

  it('big-body: streams 8 MiB of filler with status 200, chunked or with content-length', async () => {
    for (const chunked of [true, false]) {
      cloud.faults.kms.failNext(1, 'big-body', { bytes: 8 * 1024 * 1024, chunked });
      const response = await fetch(`${cloud.kms.endpoint}/?Action=GetSecretValue&SecretName=faulty`, {
        method: 'POST',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(chunked ? null : String(8 * 1024 * 1024));
      expect((await response.arrayBuffer()).byteLength).toBe(8 * 1024 * 1024);
    }
    expect(cloud.counters.count({ service: 'kms', secretName: 'faulty', outcome: 'BigBody' })).toBe(2);
  });

  it('answers 503 ServiceUnavailable and the service-specific throttling error, in queue order', async () => {
    cloud.faults('kms').failNext(1, 'unavailable');
    cloud.faults('kms').failNext(1, 'throttling');
    cloud.faults('kms').failNext(1, 'throttling', { code: 'Rejected.Throttling' });
    const unavailable = await rejectionOf(getSecret());
    expect([unavailable.code, unavailable.status]).toEqual(['ServiceUnavailable', 503]);
    const throttled = await rejectionOf(getSecret());
    expect([throttled.code, throttled.status]).toEqual(['Throttling', 400]);
    expect(throttled.data).toMatchObject({
      Code: 'Throttling',
      RequestId: expect.any(String),
      HostId: expect.any(String),
    });
    const rejected = await rejectionOf(getSecret());
    expect(rejected.code).toBe('Rejected.Throttling');
    expect(cloud.counters.count({ outcome: 'Throttling' })).toBe(1);
  });

  it('makes openapi-core raise its ThrottlingError for an ECS throttling fault', async () => {
    const { accessKey } = cloud.createRamSecret('faulty-ecs');
    cloud.faults.ecs.failNext(1, 'throttling');
    const ecs = new Ecs(
      new $OpenApiUtil.Config({
        ...accessKey!,
        endpoint: hostOf(cloud.ecs.endpoint),
        protocol: 'http',
        regionId: 'cn-hangzhou',
      }),
    );
    const error = await rejectionOf(
      ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' })),
    );
    expect(error).toMatchObject({ name: 'ThrottlingError', code: 'Throttling', status: 400 });
    expect(cloud.counters.count({ service: 'ecs', action: 'DescribeInstances', outcome: 'Throttling' })).toBe(
      1,
    );
  });

  it('resets the connection for a reset fault', async () => {
    cloud.faults.kms.failNext(1, 'reset');
    const error = await rejectionOf(getSecret());
    expect(`${error.code} ${error.message}`).toMatch(/ECONNRESET|socket hang up/);
    await expect(getSecret()).resolves.toBeDefined();
    expect(cloud.counters.list().map((r) => [r.status, r.outcome])).toEqual([
      [0, 'ConnectionReset'],
      [200, 'ok'],
    ]);
  });

  it('resets every connection while the outage is on, and serves again once it is off', async () => {
    cloud.faults.kms.setOutage(true);
    for (let i = 0; i < 2; i++) {
      const error = await rejectionOf(getSecret());
      expect(`${error.code} ${error.message}`).toMatch(/ECONNRESET|socket hang up/);
    }
    cloud.faults.kms.setOutage(false);
    await expect(getSecret()).resolves.toBeDefined();
    expect(cloud.counters.count({ service: 'kms', outcome: 'Outage' })).toBe(2);
    expect(cloud.counters.count({ service: 'kms', outcome: 'ok' })).toBe(1);
  });

  it('delays answers by the configured latency (a short client read timeout trips)', async () => {
    cloud.faults.kms.setLatency(20_000);
    const error = await rejectionOf(getSecret({ readTimeout: 200 }));
    expect(`${error.code} ${error.message}`).toMatch(/Timeout|timeout/);
    cloud.faults.kms.setLatency(0);
    await expect(getSecret({ readTimeout: 5_000 })).resolves.toBeDefined();
  });

  it('never answers a hang fault, an HTML page for html-error, and a body of the given size for big-body', async () => {
    cloud.faults.kms.failNext(1, 'hang');
    cloud.faults.kms.failNext(1, 'html-error');
    cloud.faults.kms.failNext(1, 'big-body', { bytes: 3 * 1024 * 1024 });
    const hung = await rejectionOf(getSecret({ readTimeout: 200 }));
    expect(`${hung.code} ${hung.message}`).toMatch(/Timeout|timeout/);
    const html = await fetch(`${cloud.kms.endpoint}/?Action=GetSecretValue&SecretName=faulty`, {
      method: 'POST',
    });
    expect([html.status, html.headers.get('content-type')]).toEqual([500, 'text/html']);
    expect(await html.text()).toMatch(/^<html>/);
    const big = await fetch(`${cloud.kms.endpoint}/?Action=GetSecretValue&SecretName=faulty`, {
      method: 'POST',
    });
    expect([big.status, (await big.arrayBuffer()).byteLength]).toEqual([200, 3 * 1024 * 1024]);
    await expect(getSecret()).resolves.toMatchObject({ SecretName: 'faulty' });
    await expect.poll(() => cloud.counters.count({ service: 'kms', outcome: 'Hang' })).toBe(1);
    expect(cloud.counters.count({ service: 'kms', outcome: 'HtmlError' })).toBe(1);
    expect(cloud.counters.count({ service: 'kms', outcome: 'BigBody' })).toBe(1);
  });

  it('answers faults in the error format of each service', async () => {
    cloud.faults.metadata.failNext(1, 'unavailable');
    const metadata = await fetch(`${cloud.metadata.endpoint}/latest/meta-data/ram/security-credentials/`);
    expect([metadata.status, await metadata.text()]).toEqual([
      503,
      expect.stringMatching(/^ServiceUnavailable: /),
    ]);

    cloud.faults.dkms.failNext(1, 'throttling');
    const dkms = await postOverTls(cloud.dkms.endpoint, cloud.caPem);
    expect(dkms.status).toBe(503);
    expect(dkms.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeInstanceError(dkms.body)).toMatchObject({ StatusCode: 503, ErrorCode: 'Throttling' });
    expect(cloud.counters.count({ service: 'dkms', outcome: 'Throttling' })).toBe(1);
  });

  it('validates fault arguments', () => {
    expect(() => cloud.faults.kms.setLatency(-1)).toThrow(RangeError);
    expect(() => cloud.faults.kms.failNext(1.5)).toThrow(RangeError);
  });

  it('counts by service, action, secret and outcome, and resets', async () => {
    cloud.createRamSecret('counted-a');
    cloud.createRamSecret('counted-b');
    const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey());
    await callGetSecretValue(client, { SecretName: 'counted-a' });
    await callGetSecretValue(client, { SecretName: 'counted-a' });
    await callGetSecretValue(client, { SecretName: 'counted-b' });
    await rejectionOf(callGetSecretValue(client, { SecretName: 'missing' }));
    expect(cloud.counters.count()).toBe(4);
    expect(cloud.counters.count({ service: 'kms', action: 'GetSecretValue' })).toBe(4);
    expect(cloud.counters.count({ secretName: 'counted-a', outcome: 'ok' })).toBe(2);
    expect(cloud.counters.count({ secretName: 'counted-b' })).toBe(1);
    expect(cloud.counters.count({ outcome: 'Forbidden.ResourceNotFound' })).toBe(1);
    expect(cloud.counters.count({ service: 'ecs' })).toBe(0);
    cloud.counters.reset();
    expect(cloud.counters.count()).toBe(0);
    expect(cloud.counters.list()).toEqual([]);
  });
});

describe('counter bounds', () => {
  it('keeps only the last records in list() while count() stays exact', async () => {
    const cloud = await startFakeCloud({ counterCapacity: 3 });
    try {
      const client = openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey());
      for (const name of ['s1', 's2', 's3', 's4', 's5']) {
        cloud.createRamSecret(name);
        await callGetSecretValue(client, { SecretName: name });
      }
      expect(cloud.counters.count({ outcome: 'ok' })).toBe(5);
      expect(cloud.counters.list().map((r) => r.secretName)).toEqual(['s3', 's4', 's5']);
    } finally {
      await cloud.close();
    }
  });
});

/** POST an empty body over HTTPS trusting `ca` (fetch has no per-call CA option). */
function postOverTls(
  endpoint: string,
  ca: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, { method: 'POST', ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
