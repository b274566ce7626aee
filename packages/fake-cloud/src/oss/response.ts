import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { OssError } from './errors.js';
import { element, leaf, xmlDocument } from './xml.js';

/** 24 upper-case hex characters, the shape of a real `x-oss-request-id`. */
export function newOssRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

/** Writes one OSS answer with the headers every OSS answer carries. */
export function sendOss(
  res: ServerResponse,
  requestId: string,
  status: number,
  headers: Record<string, string | number>,
  body?: Buffer | string,
  isHead = false,
): void {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, {
    Server: 'AliyunOSS',
    Date: new Date().toUTCString(),
    'x-oss-request-id': requestId,
    ...(payload === undefined || 'Content-Length' in headers ? {} : { 'Content-Length': payload.length }),
    ...headers,
  });
  res.end(isHead ? undefined : payload);
}

export function sendXml(
  res: ServerResponse,
  requestId: string,
  status: number,
  xml: string,
  headers: Record<string, string> = {},
): void {
  sendOss(res, requestId, status, { 'Content-Type': 'application/xml', ...headers }, xmlDocument(xml));
}

/**
 * Writes an error as `<Error><Code/><Message/><RequestId/><HostId/>…</Error>`.
 * A HEAD answer has no body, so real OSS puts the same XML, base64-encoded, in
 * the `x-oss-err` header; ali-oss reads the code from there.
 */
export function sendOssError(
  res: ServerResponse,
  requestId: string,
  method: string,
  hostId: string,
  error: OssError,
): void {
  const xml = xmlDocument(
    element(
      'Error',
      leaf('Code', error.code),
      leaf('Message', error.message),
      leaf('RequestId', requestId),
      leaf('HostId', hostId),
      ...error.details.map(([name, value]) => leaf(name, value)),
    ),
  );
  if (method === 'HEAD') {
    sendOss(res, requestId, error.status, {
      'x-oss-err': Buffer.from(xml).toString('base64'),
      'Content-Length': 0,
    });
    return;
  }
  sendOss(res, requestId, error.status, { 'Content-Type': 'application/xml' }, xml);
}
