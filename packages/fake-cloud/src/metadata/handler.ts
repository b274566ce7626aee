import { randomBytes } from 'node:crypto';
import { sendError, textErrorFormat } from '../http/errors.js';
import { splitUrl } from '../http/params.js';
import { isoSeconds } from '../state/secrets.js';
import type { ServiceHandler } from '../types.js';

/** STS credentials the metadata server hands out for the attached role. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string;
  readonly expiresAt: number;
  readonly issuedAt: number;
}

export interface MetadataContext {
  /** The RAM role attached to the "instance"; undefined = none. */
  roleName(): string | undefined;
  /** Current STS credentials of the role (issued lazily, reissued near expiry). */
  credentials(roleName: string): RoleCredentials;
  /** When true, GETs without a valid `X-aliyun-ecs-metadata-token` are refused (IMDSv2 only). */
  requireToken(): boolean;
}

const CREDENTIALS_PATH = '/latest/meta-data/ram/security-credentials/';
const MAX_TOKEN_TTL_SECONDS = 21_600;

/**
 * ECS instance metadata: the IMDSv2 token endpoint and the RAM role
 * credentials, the two things `@alicloud/credentials`' `ecs_ram_role`
 * provider reads.
 */
export function createMetadataHandler(ctx: MetadataContext): ServiceHandler {
  const tokens = new Map<string, number>();
  return (req, _body, res, note) => {
    const { path } = splitUrl(req);
    const fail = (status: number, code: string, message: string): void =>
      sendError(res, note, textErrorFormat, { status, code, message });
    const text = (value: string, type = 'text/plain'): void => {
      res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(value) });
      res.end(value);
    };

    if (path === '/latest/api/token') {
      note.action = 'GetMetadataToken';
      if (req.method !== 'PUT') return fail(405, 'MethodNotAllowed', 'Use PUT to get a metadata token.');
      const ttl = Number(req.headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
        return fail(400, 'InvalidTokenTTL', 'X-aliyun-ecs-metadata-token-ttl-seconds must be 1..21600.');
      }
      const token = randomBytes(24).toString('base64url');
      pruneExpired(tokens);
      tokens.set(token, Date.now() + ttl * 1000);
      return text(token);
    }
    if (req.method !== 'GET') return fail(405, 'MethodNotAllowed', 'Only GET is allowed here.');

    const token = req.headers['x-aliyun-ecs-metadata-token'];
    if (token !== undefined || ctx.requireToken()) {
      const expiresAt = typeof token === 'string' ? tokens.get(token) : undefined;
      if (expiresAt === undefined || expiresAt <= Date.now()) {
        return fail(401, 'Unauthorized', 'The metadata token is missing, invalid or expired.');
      }
    }
    if (!path.startsWith(CREDENTIALS_PATH)) return fail(404, 'NotFound', 'No such metadata item.');
    const roleName = ctx.roleName();
    const asked = decodeURIComponent(path.slice(CREDENTIALS_PATH.length));
    if (asked === '') {
      note.action = 'GetRoleName';
      return roleName ? text(roleName) : fail(404, 'NotFound', 'No RAM role is attached to this instance.');
    }
    note.action = 'GetRoleCredentials';
    if (asked !== roleName)
      return fail(404, 'NotFound', `The RAM role ${asked} is not attached to this instance.`);
    const credentials = ctx.credentials(roleName);
    note.accessKeyId = credentials.accessKeyId;
    text(
      JSON.stringify({
        AccessKeyId: credentials.accessKeyId,
        AccessKeySecret: credentials.accessKeySecret,
        Expiration: isoSeconds(new Date(credentials.expiresAt)),
        SecurityToken: credentials.securityToken,
        LastUpdated: isoSeconds(new Date(credentials.issuedAt)),
        Code: 'Success',
      }),
      'application/json',
    );
  };
}

function pruneExpired(tokens: Map<string, number>): void {
  const now = Date.now();
  for (const [token, expiresAt] of tokens) if (expiresAt <= now) tokens.delete(token);
  // Bound memory even when a caller asks for many long-lived tokens.
  while (tokens.size >= 1000) tokens.delete(tokens.keys().next().value!);
}
