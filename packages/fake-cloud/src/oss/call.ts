import type { ServerResponse } from 'node:http';
import type { OssTarget } from './addressing.js';
import type { OssRequest } from './request.js';
import type { OssStore } from './store.js';
import { element, leaf } from './xml.js';

/** Everything an operation needs to serve one authenticated request. */
export interface OssCall {
  readonly request: OssRequest;
  readonly target: OssTarget;
  readonly store: OssStore;
  readonly res: ServerResponse;
  readonly requestId: string;
  /** e.g. `oss-cn-hangzhou`. */
  readonly region: string;
}

/** An authenticated request on a bucket: `target.bucket` is set. */
export interface OssBucketCall extends OssCall {
  readonly bucket: string;
}

/** The one account every emulated bucket belongs to. */
export const OWNER = { id: '1234567890123456', displayName: '1234567890123456' } as const;

export function ownerXml(): string {
  return element('Owner', leaf('ID', OWNER.id), leaf('DisplayName', OWNER.displayName));
}

/** Headers stored with an object and given back by GetObject. */
const CONTENT_HEADERS = [
  'content-type',
  'content-disposition',
  'content-encoding',
  'content-language',
  'cache-control',
  'expires',
];

export function contentHeadersOf(request: OssRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of CONTENT_HEADERS) {
    const value = request.headers.get(name);
    if (value !== undefined && value !== '') headers[name] = value;
  }
  return headers;
}

/** `x-oss-meta-*` request headers. */
export function metaOf(request: OssRequest): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [name, value] of request.headers) if (name.startsWith('x-oss-meta-')) meta[name] = value;
  return meta;
}

/** `2024-01-02T03:04:05.000Z`, the date format of OSS XML answers. */
export function isoDate(date: Date): string {
  return date.toISOString();
}

/** The `encoding-type=url` answer encoding of keys and prefixes. */
export function encodeKeyFor(request: OssRequest): (key: string) => string {
  return request.query.get('encoding-type') === 'url' ? (key) => encodeURIComponent(key) : (key) => key;
}
