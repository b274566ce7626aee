import type { RegionConfig } from '../config/types.js';

/**
 * The origin (`https://kms.cn-hangzhou.aliyuncs.com`) that serves a region of
 * the shared KMS gateway: the explicit endpoint when configured (used as given
 * when it carries a scheme, HTTPS otherwise), else `kms.<region>.aliyuncs.com`
 * or, for `vpc`, `kms-vpc.<region>.aliyuncs.com`.
 */
export function kmsEndpointOrigin(region: RegionConfig): string {
  const explicit = region.endpoint?.trim();
  if (explicit) {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(explicit) ? explicit : `https://${explicit}`;
    return new URL(withScheme).origin;
  }
  const host = region.vpc ? `kms-vpc.${region.regionId}.aliyuncs.com` : `kms.${region.regionId}.aliyuncs.com`;
  return `https://${host}`;
}
