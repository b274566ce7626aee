// PLACEHOLDER: the OSS emulator (owned by the OSS work) replaces this file.
import type { AccessKeyStore, ServiceHandler } from '../types.js';

export interface OssContext {
  accessKeys: AccessKeyStore;
}

/** Serves the OSS API (path-style and virtual-host), verifying V1 and V4 signatures. */
export function createOssHandler(_ctx: OssContext): ServiceHandler {
  return (_req, _body, res) => {
    res.writeHead(501).end();
  };
}
