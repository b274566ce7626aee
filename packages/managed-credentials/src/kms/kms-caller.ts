import CredentialsModule, {
  ECSRAMRoleCredentialsProvider,
  OIDCRoleArnCredentialsProvider,
  RAMRoleARNCredentialsProvider,
  StaticAKCredentialsProvider,
  type CredentialModel,
  type CredentialsProvider,
} from '@alicloud/credentials';
import { DEFAULT_METADATA_ENDPOINT } from '../config/keys.js';
import type { KmsAuthConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { cjsDefault } from './cjs-default.js';
import { ClientKeySigner } from './client-key-signer.js';
import { redirectCredentialsRequests } from './redirect-credentials-requests.js';
import type { RequestWatch } from './request-watch.js';
import type { KnownValues } from './safe-text.js';
import { tagCredentialsRequests } from './tag-credentials-requests.js';

/** The library's `Credential` class (a CommonJS default export, reached through `module.exports.default`). */
const Credential = cjsDefault(CredentialsModule);

/**
 * Who calls the shared KMS gateway: an `@alicloud/credentials` `Credential`
 * the SDK signs with (ak, sts/ram_role, oidc_role_arn, ecs_ram_role), or the
 * ClientKey signer (client_key).
 */
export interface KmsCaller {
  /** `ecs_ram_role my-role`, `sts`, `client_key KAAP.…` — for messages; never secret. */
  readonly description: string;
  /**
   * Handed to the SDK as `Config.credential` for one attempt; absent for a ClientKey. The credential
   * provider's own requests (STS, instance metadata) made while the attempt waits for it belong to `watch`.
   */
  readonly credentialFor?: (watch: RequestWatch) => SdkCredential;
  /** Signs the RPC parameters itself; present for a ClientKey only. */
  readonly signer?: ClientKeySigner;
  /** The caller's key id, secret and token as last used, for scrubbing messages. */
  known(): KnownValues;
  /** Stops anything the credential provider keeps running; idempotent. */
  close(): void;
}

/** The part of `@alicloud/credentials`' `Credential` the SDK calls. */
export interface SdkCredential {
  getCredential(): Promise<CredentialModel>;
}

/**
 * A failure of `@alicloud/credentials` (metadata service, STS) to hand out
 * the credentials for a KMS call. Thrown out of the SDK's `getCredential()`
 * call so the client can tell it from a KMS failure; the original error is
 * kept private here and is summarised, never quoted (it may carry the STS answer).
 */
export class CredentialsUnavailable extends Error {
  readonly failure: unknown;

  constructor(failure: unknown) {
    super('The credentials for calling KMS could not be obtained.');
    this.name = 'CredentialsUnavailable';
    // Non-enumerable: util.inspect and JSON of this object never show the library's error.
    Object.defineProperty(this, 'failure', { value: failure, enumerable: false });
  }
}

/** Test-only redirections of the credential providers' own HTTP calls. */
export interface KmsCallerOptions {
  /**
   * Origin of the STS endpoint for `sts`/`ram_role`/`oidc_role_arn` (`http://127.0.0.1:port`).
   * @internal Test hook; not part of the supported API.
   */
  stsEndpoint?: string;
}

/**
 * Builds the caller of the shared KMS gateway. AccessKey-based types get
 * their (possibly temporary) credentials from `@alicloud/credentials`, which
 * caches and refreshes them; `client_key` signs with the RSA key pair.
 *
 * @throws ConfigError when the credential provider cannot be built.
 */
export function createKmsCaller(auth: KmsAuthConfig, options: KmsCallerOptions = {}): KmsCaller {
  if (auth.type === 'client_key') {
    const signer = new ClientKeySigner(auth.clientKey);
    return {
      description: `client_key ${auth.clientKey.keyId}`,
      signer,
      known: () => ({ ids: [auth.clientKey.keyId] }),
      close() {},
    };
  }
  let provider: CredentialsProvider & { close?: () => void };
  try {
    provider = credentialsProviderFor(auth, options);
  } catch (error) {
    throw new ConfigError(
      `Cannot set up "${auth.type}" credentials for KMS: ${error instanceof Error ? error.message : String(error)}`,
      { key: 'credentials_type', cause: error },
    );
  }
  const credential = new Credential(null, provider);
  const credentialsRequests = tagCredentialsRequests(provider);
  let last: CredentialModel | undefined;
  const configured = 'accessKeyId' in auth ? auth : undefined;
  return {
    // The role name is no secret and tells a missing or misspelt role from the rest.
    description: auth.type === 'ecs_ram_role' && auth.roleName ? `ecs_ram_role ${auth.roleName}` : auth.type,
    credentialFor: (watch) => ({
      async getCredential() {
        const waiting = credentialsRequests.watchFor(watch);
        try {
          const model = await credential.getCredential();
          last = model;
          return model;
        } catch (error) {
          throw new CredentialsUnavailable(error);
        } finally {
          waiting.end();
        }
      },
    }),
    known: () => ({
      ids: [configured?.accessKeyId, last?.accessKeyId].filter(isText),
      secrets: [configured?.accessKeySecret, last?.accessKeySecret, last?.securityToken].filter(isText),
    }),
    close() {
      provider.close?.();
    },
  };
}

function isText(value: string | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

function credentialsProviderFor(
  auth: Exclude<KmsAuthConfig, { type: 'client_key' }>,
  options: KmsCallerOptions,
): CredentialsProvider & { close?: () => void } {
  switch (auth.type) {
    case 'ak':
      return StaticAKCredentialsProvider.builder()
        .withAccessKeyId(auth.accessKeyId)
        .withAccessKeySecret(auth.accessKeySecret)
        .build();
    case 'sts':
    case 'ram_role': {
      const builder = RAMRoleARNCredentialsProvider.builder()
        .withCredentialsProvider(
          StaticAKCredentialsProvider.builder()
            .withAccessKeyId(auth.accessKeyId)
            .withAccessKeySecret(auth.accessKeySecret)
            .build(),
        )
        .withRoleArn(auth.roleArn);
      if (auth.roleSessionName) builder.withRoleSessionName(auth.roleSessionName);
      if (options.stsEndpoint) builder.withStsEndpoint(new URL(options.stsEndpoint).host);
      const provider = builder.build();
      if (options.stsEndpoint) redirectCredentialsRequests(provider, options.stsEndpoint);
      return provider;
    }
    case 'oidc_role_arn': {
      const builder = OIDCRoleArnCredentialsProvider.builder()
        .withRoleArn(auth.roleArn)
        .withOIDCProviderArn(auth.oidcProviderArn)
        .withOIDCTokenFilePath(auth.oidcTokenFilePath);
      if (auth.roleSessionName) builder.withRoleSessionName(auth.roleSessionName);
      if (options.stsEndpoint) builder.withStsEndpoint(new URL(options.stsEndpoint).host);
      const provider = builder.build();
      if (options.stsEndpoint) redirectCredentialsRequests(provider, options.stsEndpoint);
      return provider;
    }
    case 'ecs_ram_role': {
      const builder = ECSRAMRoleCredentialsProvider.builder();
      if (auth.roleName) builder.withRoleName(auth.roleName);
      const provider = builder.build();
      // The library's own default (the real metadata service) needs no redirection; see redirect-credentials-requests.ts.
      if (auth.metadataEndpoint && auth.metadataEndpoint !== DEFAULT_METADATA_ENDPOINT) {
        redirectCredentialsRequests(provider, auth.metadataEndpoint);
      }
      return provider;
    }
  }
}
