/**
 * createClient given a client of the V1 core SDK `@alicloud/pop-core` (SPEC
 * §1: those are served by managed-credentials-pop-core) fails with a typed
 * error that names the package to use — not with pop-core's own assertion
 * `must pass "config.accessKeyId"` — and registers nothing.
 */
import PopCore from '@alicloud/pop-core';
import { describe, expect, it } from 'vitest';
import { ManagedCredentialsError, type ManagedCredentialsProvider } from 'managed-credentials';
import { createClient, UnsupportedClientError } from 'managed-credentials-tea-openapi';

const { ROAClient } = PopCore as unknown as { ROAClient: typeof PopCore };

/** A provider that must never be used: createClient has to fail before it registers anything. */
const untouchable = new Proxy({} as ManagedCredentialsProvider, {
  get(_target, key) {
    throw new Error(`the provider was used (${String(key)})`);
  },
});

/** A user's own subclass of pop-core's client (as ProxyRPCClient is one). */
class TracedRpcClient extends PopCore {}

const config = { endpoint: 'https://ecs.aliyuncs.com', apiVersion: '2014-05-26' };
const attempt = (clientClass: unknown) => (): unknown =>
  createClient(config as never, clientClass as never, 'my-ram-secret', { provider: untouchable });

describe('createClient given an @alicloud/pop-core client', () => {
  it.each([
    ['RPCClient', PopCore, 'ProxyRPCClient'],
    ['ROAClient', ROAClient, 'ProxyROAClient'],
    ['the package default import { default: RPCClient }', { default: PopCore }, 'ProxyRPCClient'],
    ['a subclass of RPCClient', TracedRpcClient, 'ProxyRPCClient'],
  ])('%s: UnsupportedClientError naming managed-credentials-pop-core', (_label, clientClass, proxy) => {
    let error: unknown;
    try {
      attempt(clientClass)();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UnsupportedClientError);
    expect(error).toBeInstanceOf(ManagedCredentialsError);
    expect(error).toMatchObject({ code: 'MC_UNSUPPORTED_CLIENT', adapter: 'managed-credentials-pop-core' });
    expect((error as Error).message).toContain('managed-credentials-pop-core');
    expect((error as Error).message).toContain(`new ${proxy}(config, secretName)`);
    expect((error as Error).message).not.toContain('must pass');
  });
});
