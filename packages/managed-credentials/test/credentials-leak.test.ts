import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedCredentialsProvider, SecretFetchError } from '../src/index.js';
import { credentialsFailureSummary } from '../src/kms/credentials-failure-summary.js';

const SECRET = 'TOPSECRET-sts';
const TOKEN = 'TOPTOKEN-sts';

/** A fake STS that answers 200 with a body cut off mid-JSON, credentials included. */
let sts: http.Server;
let origin: string;

beforeAll(async () => {
  sts = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      `{"Credentials":{"AccessKeyId":"STS.id","AccessKeySecret":"${SECRET}","SecurityToken":"${TOKEN}"`,
    );
  });
  await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => sts.close(() => resolve()));
});

/** Every rendering of an error and its cause chain that could end up in a log. */
function renderings(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 10; depth += 1) {
    parts.push(String(current), inspect(current, { depth: 10 }), JSON.stringify(current) ?? '');
    if (current instanceof Error) parts.push(current.message, current.stack ?? '');
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

describe('credential provider answers never leak into errors', () => {
  it('a truncated STS answer with credentials reaches no message, stack, inspect, JSON, event or cause', async () => {
    const provider = new ManagedCredentialsProvider({
      config: {
        credentials_type: 'sts',
        credentials_access_key_id: 'ak',
        credentials_access_secret: 'sk',
        credentials_role_arn: 'acs:ram::1:role/r',
        cache_client_region_id: JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: origin }]),
      },
      kms: { stsEndpoint: origin },
      retry: { attempts: 1 },
    });
    const events: unknown[] = [];
    provider.on('refresh-failed', (event) => events.push(event));
    try {
      const error = await provider.getAccessKey('s').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SecretFetchError);
      expect((error as Error).message).toContain('sts credentials');
      expect((error as Error).message).toContain('unmarshal fail');
      expect(String((error as Error).cause)).toBe(
        'CredentialsFailure: sts: refresh RoleArn sts token err, unmarshal fail',
      );
      expect(events).toHaveLength(1);
      const seen = renderings(error) + events.map((event) => inspect(event, { depth: 10 })).join('\n');
      expect(seen).not.toContain(SECRET);
      expect(seen).not.toContain(TOKEN);
    } finally {
      await provider.close();
    }
  });

  it('summarises the library messages to status, STS code and the leading text', () => {
    const cases: Array<[string, string]> = [
      [
        `refresh RoleArn sts token err, unmarshal fail: {"AccessKeySecret":"${SECRET}"`,
        'refresh RoleArn sts token err, unmarshal fail',
      ],
      [
        `get sts token failed, httpStatus: 500, message = AccessKeySecret=${SECRET}`,
        'get sts token failed, httpStatus: 500, message',
      ],
      [
        `get sts token failed, json parse failed: Unexpected token in "${SECRET}"`,
        'get sts token failed, json parse failed',
      ],
      [
        `refresh session token failed: {"Code":"NoPermission","Message":"${SECRET}"}`,
        'refresh session token failed, code NoPermission',
      ],
      [
        'get role name failed: GET http://100.100.100.200/latest/meta-data/ 404',
        'get role name failed, HTTP status 404',
      ],
      ['connect ECONNREFUSED 127.0.0.1:1', 'connect ECONNREFUSED 127.0.0.1:1'],
    ];
    for (const [message, summary] of cases) {
      expect([message, credentialsFailureSummary(new Error(message))]).toEqual([message, summary]);
    }
    expect(credentialsFailureSummary('text')).toBe('non-Error failure');
  });
});
