import { randomBytes } from 'node:crypto';
import { redirectProvider } from '../redirect.js';

/** Test controls of the STS endpoint. */
export interface StsControl {
  /**
   * A new OIDC token (JWT-shaped, not really signed) that AssumeRoleWithOIDC
   * accepts from now on. Write it to the file `credentials_oidc_token_file_path` names.
   */
  createOidcToken(): string;
  /**
   * Points an `@alicloud/credentials` `ram_role_arn` / `oidc_role_arn`
   * provider (which calls https://sts.aliyuncs.com) at this endpoint by
   * wrapping its `doRequest`; returns it.
   */
  redirect<P extends object>(provider: P): P;
}

export function stsControl(tokens: Set<string>, endpoint: () => string): StsControl {
  return {
    createOidcToken() {
      const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
      const token = [
        part({ alg: 'RS256', typ: 'JWT' }),
        part({
          iss: 'https://oidc.fake-cloud.local',
          sub: 'system:serviceaccount:default:fake-cloud',
          aud: 'sts.aliyuncs.com',
          jti: randomBytes(8).toString('hex'),
        }),
        randomBytes(32).toString('base64url'),
      ].join('.');
      tokens.add(token);
      return token;
    },
    redirect: (provider) => redirectProvider(provider, endpoint),
  };
}
