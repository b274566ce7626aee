import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { loadClientKey } from './client-key.js';
import { readPassword, type PasswordSource } from './password.js';
import { CONFIG_ERROR_CODES, type RawConfigReader } from './raw-config.js';
import type { DedicatedGatewayConfig } from './types.js';
import { asRecord, endpointProblem, parseBooleanish, readJsonArray, stringField } from './values.js';
import { quoteConfigValue } from './quote-value.js';

const KEY = 'cache_client_dkms_config_info';
const EXAMPLE =
  '[{"regionId":"cn-hangzhou","endpoint":"kst-xxx.cryptoservice.kms.aliyuncs.com","clientKeyFile":"clientKey.json","passwordFromEnvVariable":"CLIENT_KEY_PASSWORD","caFilePath":"ca.pem"}]';
const PASSWORD_FIELDS = [
  'passwordFromEnvVariable',
  'passwordFromFilePath',
  'passwordFromFilePathName',
] as const;

/**
 * Parses `cache_client_dkms_config_info` (KMS instances reached through their
 * dedicated gateway), loading each entry's ClientKey and CA certificate now so
 * a broken entry fails at start, not on the first request. Paths in entries
 * resolve like every other path (see `RawConfigReader.resolvePath`).
 */
export function readDedicatedGateways(config: RawConfigReader): DedicatedGatewayConfig[] {
  const entries = readJsonArray(config, KEY, EXAMPLE);
  if (entries === undefined) return [];
  return entries.map((value, index) => readEntry(config, value, index));
}

function readEntry(config: RawConfigReader, value: unknown, index: number): DedicatedGatewayConfig {
  const where = `entry #${index}`;
  const fail = (problem: string, code?: string): Error => config.error(KEY, `${where} ${problem}`, code);
  const entry = asRecord(value);
  if (entry === undefined) throw fail('is not a JSON object.');
  const missing = CONFIG_ERROR_CODES.missing;
  const regionId = stringField(entry, 'regionId');
  if (regionId === undefined) throw fail('has no "regionId".', missing);
  const endpoint = stringField(entry, 'endpoint');
  if (endpoint === undefined) throw fail('has no "endpoint" (the KMS instance gateway host).', missing);
  const problem = endpointProblem(endpoint);
  if (problem !== undefined) throw fail(`has an "endpoint" that ${problem}: ${quoteConfigValue(endpoint)}.`);
  const clientKeyFile = stringField(entry, 'clientKeyFile');
  if (clientKeyFile === undefined) throw fail('has no "clientKeyFile".', missing);
  const ignoreSslCerts = parseBooleanish(entry['ignoreSslCerts']);
  if (ignoreSslCerts === undefined) throw fail('has an "ignoreSslCerts" that is neither true nor false.');

  const source = passwordSource(config, entry, fail);
  const context = `Configuration key ${KEY} ${where} (${config.where(KEY)})`;
  const password = readPassword(source, config.env, context, KEY);
  const clientKey = loadClientKey(config.resolvePath(KEY, clientKeyFile), password, {
    key: KEY,
    detail: where,
  });
  const ca = readCa(config, entry, index, fail);
  return { regionId, endpoint, clientKey, ignoreSslCerts, ...ca };
}

function passwordSource(
  config: RawConfigReader,
  entry: Record<string, unknown>,
  fail: (problem: string, code?: string) => Error,
): PasswordSource {
  const present = PASSWORD_FIELDS.filter((field) => stringField(entry, field) !== undefined);
  if (present.length === 0) {
    throw fail(
      `has no ClientKey password source; set one of ${PASSWORD_FIELDS.join(', ')}.`,
      CONFIG_ERROR_CODES.missing,
    );
  }
  if (present.length > 1)
    throw fail(`sets ${present.join(' and ')}; set exactly one ClientKey password source.`);
  const field = present[0] as (typeof PASSWORD_FIELDS)[number];
  const value = stringField(entry, field) as string;
  if (field === 'passwordFromEnvVariable') return { kind: 'env', variable: value };
  if (field === 'passwordFromFilePath') return { kind: 'file', path: config.resolvePath(KEY, value) };
  // passwordFromFilePathName names an env var that holds the password file's path (reference behaviour).
  const path = config.env[value];
  if (path === undefined || path.trim() === '') {
    throw fail(`names environment variable ${value} in "passwordFromFilePathName", but it is not set.`);
  }
  return { kind: 'file', path: config.resolvePath(KEY, path.trim()), viaVariable: value };
}

function readCa(
  config: RawConfigReader,
  entry: Record<string, unknown>,
  index: number,
  fail: (problem: string) => Error,
): { caPem?: string; caFile?: string } {
  const caFilePath = stringField(entry, 'caFilePath');
  const caCert = stringField(entry, 'caCert');
  if (caFilePath !== undefined && caCert !== undefined)
    throw fail('sets both "caFilePath" and "caCert"; set one.');
  if (caCert !== undefined && caCert.includes('-----BEGIN')) {
    if (!caCert.includes('-----BEGIN CERTIFICATE-----'))
      throw fail('has a "caCert" that is not a PEM certificate.');
    return { caPem: caCert };
  }
  const path = caFilePath ?? caCert;
  if (path === undefined) return {};
  const caFile = config.resolvePath(KEY, path);
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `Configuration key ${KEY} entry #${index} (${config.where(KEY)}): the CA file ${caFile} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}.`,
      { key: KEY, file: caFile, cause: error, code: CONFIG_ERROR_CODES.invalid },
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw fail(`has a CA file ${caFile} that holds no PEM certificate.`);
  return { caPem: pem, caFile };
}
