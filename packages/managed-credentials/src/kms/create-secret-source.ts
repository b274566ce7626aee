import type { ManagedCredentialsConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { createDedicatedGatewaySource } from './dedicated/index.js';
import { kmsEndpointOrigin } from './endpoint.js';
import { createKmsCaller, type KmsCallerOptions } from './kms-caller.js';
import { RegionFailoverSource } from './region-failover.js';
import { SharedGatewayClient } from './shared-gateway-client.js';
import type { SecretSource } from './types.js';

/** Options of the KMS access built from a config. */
export interface KmsSourceOptions extends KmsCallerOptions {
  /**
   * Per KMS request, ms; wins over the config's `kms_request_timeout_ms`.
   * @default 8000 (`DEFAULT_KMS_REQUEST_TIMEOUT_MS`)
   */
  requestTimeoutMs?: number;
  /**
   * Replaces the source built for `cache_client_dkms_config_info` (KMS instances).
   * @internal Test hook; not part of the supported API.
   */
  dedicatedSource?: (config: ManagedCredentialsConfig) => SecretSource;
}

/**
 * The KMS access a config describes: the KMS instances (dedicated gateway)
 * when configured, then the shared-gateway regions in the configured order.
 *
 * @throws ConfigError when nothing to fetch from is configured.
 */
export function createSecretSource(
  config: ManagedCredentialsConfig,
  options: KmsSourceOptions = {},
): SecretSource {
  const sources: SecretSource[] = [];
  const timeoutMs = options.requestTimeoutMs ?? config.kmsRequestTimeoutMs;
  if (config.dedicatedGateways.length > 0) {
    sources.push(
      options.dedicatedSource?.(config) ??
        createDedicatedGatewaySource(config.dedicatedGateways, { timeoutMs }),
    );
  }
  if (config.regions.length > 0) {
    if (!config.auth) {
      throw new ConfigError(
        'credentials_type is required to call KMS in the regions of cache_client_region_id.',
        {
          key: 'credentials_type',
          file: config.origin.file,
        },
      );
    }
    const caller = createKmsCaller(config.auth, options);
    for (const region of config.regions) {
      sources.push(
        new SharedGatewayClient({
          endpoint: kmsEndpointOrigin(region),
          regionId: region.regionId,
          caller,
          timeoutMs,
          connectTimeoutMs: config.kmsConnectTimeoutMs,
          caPem: config.kmsCa?.pem,
        }),
      );
    }
  }
  if (sources.length === 0) {
    throw new ConfigError(
      'No KMS to fetch secrets from: set cache_client_region_id or cache_client_dkms_config_info.',
      {
        key: 'cache_client_region_id',
        file: config.origin.file,
      },
    );
  }
  return sources.length === 1 ? (sources[0] as SecretSource) : new RegionFailoverSource(sources);
}
