import type { DedicatedGatewayConfig } from '../../config/types.js';
import { RegionFailoverSource } from '../region-failover.js';
import type { SecretSource } from '../types.js';
import { InstanceClient } from './instance-client.js';

/** Options of {@link createDedicatedGatewaySource}. */
export interface DedicatedGatewaySourceOptions {
  /** Per request to one instance (connect, TLS handshake, answer), ms. Default 8 000 (`DEFAULT_KMS_REQUEST_TIMEOUT_MS`). */
  timeoutMs?: number;
  /**
   * Told once per instance, before its first request, when `ignoreSslCerts`
   * turns certificate verification off. Default: `process.emitWarning` with
   * code `MC_TLS_VERIFICATION_DISABLED`.
   */
  onWarning?: (message: string) => void;
  /** Wall clock for the signed `date` header, ms since epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Fetches secrets from KMS instances (dedicated gateways,
 * `cache_client_dkms_config_info`), trying them in the configured order: a
 * network, TLS, 5xx or throttling failure moves on to the next instance; a
 * definite answer (not found, unauthorized) stops there. `close()` destroys
 * every connection.
 */
export function createDedicatedGatewaySource(
  gateways: readonly DedicatedGatewayConfig[],
  options: DedicatedGatewaySourceOptions = {},
): SecretSource {
  if (gateways.length === 0) throw new Error('createDedicatedGatewaySource needs at least one KMS instance.');
  const onWarning =
    options.onWarning ??
    ((message: string) => process.emitWarning(message, { code: 'MC_TLS_VERIFICATION_DISABLED' }));
  const clients = gateways.map(
    (gateway) => new InstanceClient(gateway, { timeoutMs: options.timeoutMs, onWarning, now: options.now }),
  );
  return clients.length === 1 ? (clients[0] as InstanceClient) : new RegionFailoverSource(clients);
}
