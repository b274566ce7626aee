import type { ConfigOrigin } from '../errors.js';

/** Every `credentials_type` accepted; the first two are the ones the reference plug-ins allow. */
export const CREDENTIALS_TYPES = [
  'ecs_ram_role',
  'client_key',
  'ak',
  'sts',
  'ram_role',
  'oidc_role_arn',
] as const;
export type CredentialsType = (typeof CREDENTIALS_TYPES)[number];

/**
 * A ClientKey (RSA key pair) loaded from a `clientKey_****.json` file.
 * The private key never appears in `toJSON`/`inspect` output (see `createClientKey`).
 */
export interface ClientKey {
  /** The ClientKey id (`KeyId`), sent as the access key id of signed requests. */
  readonly keyId: string;
  /** PEM (PKCS#8 or PKCS#1) of the RSA private key decrypted from the PKCS#12. */
  readonly privateKeyPem: string;
  /** The file the key was read from, for messages. */
  readonly file: string;
}

/** How the plug-in authenticates to the shared KMS gateway. */
export type KmsAuthConfig =
  | {
      type: 'ecs_ram_role';
      roleName?: string;
      /** Ours: `credentials_metadata_endpoint`, the instance metadata service (default http://100.100.100.200). For local tests. */
      metadataEndpoint?: string;
    }
  | { type: 'client_key'; clientKey: ClientKey }
  | { type: 'ak'; accessKeyId: string; accessKeySecret: string }
  | {
      type: 'sts' | 'ram_role';
      accessKeyId: string;
      accessKeySecret: string;
      roleArn: string;
      roleSessionName?: string;
    }
  | {
      type: 'oidc_role_arn';
      roleArn: string;
      oidcProviderArn: string;
      oidcTokenFilePath: string;
      roleSessionName?: string;
    };

/** One entry of `cache_client_region_id`. */
export interface RegionConfig {
  regionId: string;
  /** As configured; may carry a scheme and port (`http://127.0.0.1:18080`), then used as given. */
  endpoint?: string;
  vpc: boolean;
}

/** One entry of `cache_client_dkms_config_info` (a KMS instance / dedicated gateway). */
export interface DedicatedGatewayConfig {
  regionId: string;
  /** `<instance>.cryptoservice.kms.aliyuncs.com`, or with scheme and port for local tests. */
  endpoint: string;
  clientKey: ClientKey;
  ignoreSslCerts: boolean;
  /** CA bundle (PEM text) used to verify the instance's certificate. */
  caPem?: string;
  /** The file `caPem` was read from, when it came from a file (for messages). */
  caFile?: string;
}

/** The validated configuration the provider runs on. All durations in ms. */
export interface ManagedCredentialsConfig {
  /** Absent when only dedicated gateways are configured. */
  auth?: KmsAuthConfig;
  regions: RegionConfig[];
  dedicatedGateways: DedicatedGatewayConfig[];
  /** `refresh_secret_ttl`; default 6 h, minimum 5 min. */
  refreshSecretTtlMs: number;
  /** `rotation_interval`; default 6 h. */
  rotationIntervalMs: number;
  /** `delay_interval`; default 5 min. */
  delayIntervalMs: number;
  /** `fleet_size`: processes sharing a secret; sizes the spread of fetches after a rejection. Default 1. */
  fleetSize?: number;
  /** `secret_names`: prefetched at start. */
  secretNames: string[];
  /** `kms_request_timeout_ms`: one KMS request, whole. Absent: 8 000 (`DEFAULT_KMS_REQUEST_TIMEOUT_MS`). */
  kmsRequestTimeoutMs?: number;
  /** `kms_connect_timeout_ms`: the TCP/TLS connect of a shared-gateway request. Absent: 5 000. */
  kmsConnectTimeoutMs?: number;
  /** `kms_ca_file_path`: the CA(s) trusted for HTTPS to the shared gateway instead of the system store. */
  kmsCa?: { pem: string; file: string };
  /** For diagnostics (doctor): the file read, and where each key came from. */
  origin: {
    file?: string;
    keys: Record<string, ConfigOrigin>;
    /** Keys in the file or object that this library does not know (likely typos). */
    unknownKeys?: string[];
  };
}

/** Raw key/value input, as in the properties file (values are strings). */
export type RawConfig = Readonly<Record<string, string | undefined>>;
