import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  ECSRAMRoleCredentialsProvider,
  OIDCRoleArnCredentialsProvider,
  RAMRoleARNCredentialsProvider,
  StaticAKCredentialsProvider,
  type CredentialsProvider,
} from '@alicloud/credentials';
import type { KmsAuthConfig } from '../config/types.js';
import { ClientKeyError, ConfigError } from '../errors.js';
import { redirectCredentialsRequests } from './redirect-credentials-requests.js';
import { hmacSha1Signature, rpcStringToSign, rsaSha256Signature } from './rpc-signature.js';

/** Adds the authentication parameters (and the signature) to one KMS RPC request. */
export interface KmsAuthenticator {
  /** `ecs_ram_role my-role`, `sts`, `client_key KAAP.…` — for messages; never secret. */
  readonly description: string;
  /** Returns `params` plus `AccessKeyId`, `SignatureMethod`, `SignatureVersion`, `SecurityToken`?, `Signature`. */
  sign(method: string, params: Readonly<Record<string, string>>): Promise<Record<string, string>>;
  /** Stops anything the credential provider keeps running; idempotent. */
  close(): void;
}

/** Test-only redirections of the credential providers' own HTTP calls. */
export interface KmsAuthenticatorOptions {
  /**
   * Origin of the STS endpoint for `sts`/`ram_role`/`oidc_role_arn` (`http://127.0.0.1:port`).
   * @internal Test hook; not part of the supported API.
   */
  stsEndpoint?: string;
}

/**
 * Builds the signer for the shared KMS gateway. AccessKey-based types get
 * their (possibly temporary) credentials from `@alicloud/credentials`, which
 * caches and refreshes them; `client_key` signs with the RSA key pair.
 *
 * @throws ConfigError when the credential provider cannot be built.
 */
export function createKmsAuthenticator(
  auth: KmsAuthConfig,
  options: KmsAuthenticatorOptions = {},
): KmsAuthenticator {
  if (auth.type === 'client_key') {
    return clientKeyAuthenticator(auth.clientKey.keyId, auth.clientKey.privateKeyPem, auth.clientKey.file);
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
  return {
    // The role name is no secret and tells a missing or misspelt role from the rest.
    description: auth.type === 'ecs_ram_role' && auth.roleName ? `ecs_ram_role ${auth.roleName}` : auth.type,
    async sign(method, params) {
      const credentials = await provider.getCredentials();
      const signed: Record<string, string> = {
        ...params,
        AccessKeyId: credentials.accessKeyId,
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
      };
      if (credentials.securityToken) signed['SecurityToken'] = credentials.securityToken;
      signed['Signature'] = hmacSha1Signature(rpcStringToSign(method, signed), credentials.accessKeySecret);
      return signed;
    },
    close() {
      provider.close?.();
    },
  };
}

function clientKeyAuthenticator(keyId: string, privateKeyPem: string, file: string): KmsAuthenticator {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    // The crypto error does not quote the key, but keep the message generic anyway.
    throw new ClientKeyError(`The private key of ClientKey "${keyId}" cannot be used for RSA signing.`, {
      key: 'client_key_private_key_path',
      file,
      cause: error,
    });
  }
  return {
    description: `client_key ${keyId}`,
    sign(method, params) {
      const signed: Record<string, string> = {
        ...params,
        AccessKeyId: keyId,
        SignatureMethod: 'SHA256withRSA',
        SignatureVersion: '1.0',
      };
      signed['Signature'] = rsaSha256Signature(rpcStringToSign(method, signed), privateKey);
      return Promise.resolve(signed);
    },
    close() {},
  };
}

function credentialsProviderFor(
  auth: Exclude<KmsAuthConfig, { type: 'client_key' }>,
  options: KmsAuthenticatorOptions,
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
      // Without a configured endpoint the library's default (the real metadata service) is used.
      if (auth.metadataEndpoint) redirectCredentialsRequests(provider, auth.metadataEndpoint);
      return provider;
    }
  }
}
