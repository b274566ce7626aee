import OSS from 'ali-oss';
import type { AccessKeyPair } from '../src/index.js';

/** How a test points ali-oss at the fake OSS. */
export type OssAddressing =
  /** `endpoint: http://127.0.0.1:PORT`: ali-oss sends `Host: <bucket>.oss-<region>.aliyuncs.com`. */
  | 'ip-endpoint'
  /** `endpoint: http://localhost:PORT, sldEnable: true`: `/<bucket>/<key>` paths; works for signed URLs too. */
  | 'path-style';

export interface OssClientOptions {
  bucket?: string;
  v4?: boolean;
  addressing?: OssAddressing;
  stsToken?: string;
}

/** A real ali-oss client for the fake OSS at `endpoint` (`http://127.0.0.1:PORT`). */
export function ossClient(endpoint: string, key: AccessKeyPair, options: OssClientOptions = {}): OSS {
  const pathStyle = options.addressing === 'path-style';
  return new OSS({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    endpoint: pathStyle ? endpoint.replace('127.0.0.1', 'localhost') : endpoint,
    ...(options.bucket === undefined ? {} : { bucket: options.bucket }),
    ...(options.stsToken === undefined
      ? {}
      : { stsToken: options.stsToken, refreshSTSTokenInterval: 3_600_000 }),
    region: 'oss-cn-hangzhou',
    authorizationV4: options.v4 ?? false,
    ...(pathStyle ? { sldEnable: true } : {}),
  } as OSS.Options);
}

/** Settles a promise expected to fail and returns its error (ali-oss errors carry `code`, `status`, `requestId`). */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ code?: string; status?: number; name?: string; message: string; requestId?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; status?: number; message: string };
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** What `listBuckets` really resolves to (`@types/ali-oss` says `Bucket[]`). */
export interface ListBucketsAnswer {
  buckets: Array<{ name: string; region: string; storageClass: string }> | null;
  owner: { id: string; displayName: string };
  res: { status: number; headers: Record<string, string> };
}

export async function listBuckets(client: OSS): Promise<ListBucketsAnswer> {
  return (await client.listBuckets({})) as unknown as ListBucketsAnswer;
}

/** Options carrying string user metadata (`@types/ali-oss` wants numeric `uid`/`pid`). */
export function withMeta<T>(meta: Record<string, string>): T {
  return { meta } as unknown as T;
}
