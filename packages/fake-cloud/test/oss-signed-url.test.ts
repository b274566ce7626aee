import type OSS from 'ali-oss';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeCloud, type FakeCloud } from '../src/index.js';
import { ossClient } from './oss-helpers.js';

const BUCKET = 'signed-urls';
let cloud: FakeCloud;
let pathStyle: OSS;
let ipEndpoint: OSS;

beforeAll(async () => {
  cloud = await startFakeCloud();
  const key = cloud.createRamSecret('oss-signed-urls').accessKey!;
  pathStyle = ossClient(cloud.oss.endpoint, key, { bucket: BUCKET, addressing: 'path-style' });
  ipEndpoint = ossClient(cloud.oss.endpoint, key, { bucket: BUCKET, v4: true });
  await pathStyle.putBucket(BUCKET);
  await pathStyle.put('shared/report.txt', Buffer.from('quarterly numbers'));
});
afterAll(async () => {
  await cloud.close();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Fetches a URL and reads the OSS error code out of the XML body, if any. */
async function fetchOss(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: string; code?: string; message?: string }> {
  const response = await fetch(url, init);
  const body = await response.text();
  return {
    status: response.status,
    body,
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1],
  };
}

/** Makes the client sign as if the clock said `msAgo` earlier (ali-oss reads `new Date()`); no waiting. */
function signedInThePast<T>(msAgo: number, sign: () => T): T {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() - msAgo);
  try {
    return sign();
  } finally {
    vi.useRealTimers();
  }
}

describe('V1 signatureUrl (OSSAccessKeyId, Expires, Signature)', () => {
  it('downloads the object with plain fetch', async () => {
    const url = pathStyle.signatureUrl('shared/report.txt', { expires: 600 });
    expect(url).toContain('OSSAccessKeyId=');
    expect(await fetchOss(url)).toMatchObject({ status: 200, body: 'quarterly numbers' });
  });

  it('uploads with a PUT URL signed for a content type and honours response-* overrides', async () => {
    const putUrl = pathStyle.signatureUrl('shared/upload.txt', {
      method: 'PUT',
      'Content-Type': 'text/plain',
    });
    const put = await fetchOss(putUrl, {
      method: 'PUT',
      body: 'sent by url',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    const getUrl = pathStyle.signatureUrl('shared/upload.txt', {
      response: { 'content-disposition': 'attachment' },
    });
    const response = await fetch(getUrl);
    expect(response.headers.get('content-disposition')).toBe('attachment');
    expect(await response.text()).toBe('sent by url');
  });

  it('refuses an expired URL with AccessDenied "Request has expired."', async () => {
    const url = pathStyle.signatureUrl('shared/report.txt', { expires: -60 });
    expect(await fetchOss(url)).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired.',
    });
  });

  it('refuses a URL whose key or expiry was changed with SignatureDoesNotMatch', async () => {
    const url = new URL(pathStyle.signatureUrl('shared/report.txt', { expires: 600 }));
    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace('report', 'other');
    expect(await fetchOss(otherKey.href)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const longer = new URL(url);
    longer.searchParams.set('Expires', String(Number(url.searchParams.get('Expires')) + 3600));
    expect(await fetchOss(longer.href)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('cannot be made by ali-oss for an IP endpoint (use localhost with sldEnable)', () => {
    expect(() => ipEndpoint.signatureUrl('shared/report.txt')).toThrow(/endpoint is IP/);
  });
});

describe('V4 signatureUrlV4 (x-oss-signature-version, credential, date, expires, signature)', () => {
  it('downloads with plain fetch from an IP endpoint URL that does not name the bucket', async () => {
    const url = await ipEndpoint.signatureUrlV4('GET', 600, undefined, 'shared/report.txt');
    expect(new URL(url).pathname).toBe('/shared/report.txt');
    expect(await fetchOss(url)).toMatchObject({ status: 200, body: 'quarterly numbers' });
  });

  it('downloads with plain fetch from a path-style URL', async () => {
    const url = await pathStyle.signatureUrlV4('GET', 600, undefined, 'shared/report.txt');
    expect(new URL(url).pathname).toBe(`/${BUCKET}/shared/report.txt`);
    expect(await fetchOss(url)).toMatchObject({ status: 200, body: 'quarterly numbers' });
  });

  it('refuses an expired URL with AccessDenied "Request has expired."', async () => {
    const url = await signedInThePast(2 * 3600_000, () =>
      ipEndpoint.signatureUrlV4('GET', 60, undefined, 'shared/report.txt'),
    );
    expect(await fetchOss(url)).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired.',
    });
  });

  it('refuses a URL whose expiry or signature was changed with SignatureDoesNotMatch', async () => {
    const url = new URL(await ipEndpoint.signatureUrlV4('GET', 600, undefined, 'shared/report.txt'));
    const longer = new URL(url);
    longer.searchParams.set('x-oss-expires', '3600');
    expect(await fetchOss(longer.href)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const forged = new URL(url);
    forged.searchParams.set('x-oss-signature', '0'.repeat(64));
    expect(await fetchOss(forged.href)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });
});
