import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { CONFIG_ERROR_CODES, type RawConfigReader } from './raw-config.js';
import type { ManagedCredentialsConfig } from './types.js';
import { readDurationMs } from './values.js';

/** Bounds of `kms_request_timeout_ms` and `kms_connect_timeout_ms`, ms. */
export const MIN_KMS_TIMEOUT_MS = 100;
export const MAX_KMS_TIMEOUT_MS = 300_000;

/**
 * The network options of KMS calls: `kms_request_timeout_ms` (one request,
 * whole; shared and dedicated gateway), `kms_connect_timeout_ms` (TCP/TLS
 * connect, shared gateway) and `kms_ca_file_path` (a PEM CA bundle trusted
 * for the shared gateway instead of the system store). Absent keys stay
 * absent, so the KMS code applies its defaults.
 */
export function readKmsNetwork(
  config: RawConfigReader,
): Pick<ManagedCredentialsConfig, 'kmsRequestTimeoutMs' | 'kmsConnectTimeoutMs' | 'kmsCa'> {
  const network: Pick<ManagedCredentialsConfig, 'kmsRequestTimeoutMs' | 'kmsConnectTimeoutMs' | 'kmsCa'> = {};
  for (const [key, field] of [
    ['kms_request_timeout_ms', 'kmsRequestTimeoutMs'],
    ['kms_connect_timeout_ms', 'kmsConnectTimeoutMs'],
  ] as const) {
    if (!config.has(key)) continue;
    const value = readDurationMs(config, key, 0, MIN_KMS_TIMEOUT_MS);
    if (value > MAX_KMS_TIMEOUT_MS)
      throw config.error(key, `must be at most ${MAX_KMS_TIMEOUT_MS} ms, got ${value}.`);
    network[field] = value;
  }
  const caPath = config.get('kms_ca_file_path');
  if (caPath !== undefined) {
    const file = config.resolvePath('kms_ca_file_path', caPath);
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(
        `Configuration key kms_ca_file_path (${config.where('kms_ca_file_path')}): the CA file ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}.`,
        { key: 'kms_ca_file_path', file, cause: error, code: CONFIG_ERROR_CODES.invalid },
      );
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw config.error('kms_ca_file_path', `the CA file ${file} holds no PEM certificate.`);
    }
    network.kmsCa = { pem, file };
  }
  return network;
}
