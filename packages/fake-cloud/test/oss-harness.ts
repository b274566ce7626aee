import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOssHandler, type OssContext, type OssHandler } from '../src/oss/handler.js';
import type { RamAccessKey } from '../src/types.js';

/** The OSS handler alone on 127.0.0.1, for what `startFakeCloud` does not expose (store, clock). */
export interface OssHarness {
  readonly endpoint: string;
  readonly handler: OssHandler;
  readonly keys: Map<string, RamAccessKey>;
  close(): Promise<void>;
}

export async function startOssHarness(context: Omit<OssContext, 'accessKeys'> = {}): Promise<OssHarness> {
  const keys = new Map<string, RamAccessKey>();
  const handler = createOssHandler({ ...context, accessKeys: { get: (id) => keys.get(id) } });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void Promise.resolve(handler(req, Buffer.concat(chunks), res, {})).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    handler,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
