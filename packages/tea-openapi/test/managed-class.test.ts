/**
 * Managed-class mechanics only (the subclass whose prototype wraps each API
 * method), with a hand-written client class and a provider stand-in that
 * records calls. Behaviour against the real SDKs, the real core
 * and the fake cloud is in create-client.test.ts.
 */
import { inspect } from 'node:util';
import { PassThrough } from 'node:stream';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AccessKeySnapshot, type CallOptions, type ManagedCredentialsProvider } from 'managed-credentials';
import { closeClient, createClient, type ClosableClient } from 'managed-credentials-tea-openapi';

const SECRET = 'k3y-s3cr3t-never-shown';

class RecordingProvider {
  readonly calls: { secretName: string; options: CallOptions | undefined }[] = [];
  readonly registered: string[] = [];
  released = 0;
  readonly key = new AccessKeySnapshot({
    secretName: 'app',
    accessKeyId: 'LTAI-proxy-test',
    accessKeySecret: SECRET,
    generation: 1,
    fetchedAt: 0,
    versionId: 'v1',
  });

  currentAccessKey(): AccessKeySnapshot {
    return this.key;
  }
  async getAccessKey(): Promise<AccessKeySnapshot> {
    return this.key;
  }
  callWithAccessKey<T>(
    secretName: string,
    call: (key: AccessKeySnapshot) => Promise<T>,
    options?: CallOptions,
  ): Promise<T> {
    this.calls.push({ secretName, options });
    return call(this.key);
  }
  register(secretName: string): { secretName: string; release(): void } {
    this.registered.push(secretName);
    return { secretName, release: () => void (this.released += 1) };
  }
}

interface FakeConfig {
  endpoint?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  credential?: unknown;
}

/** Shaped like a generated client: a base with helpers, a product class with API methods. */
class BaseClient {
  readonly _credential: unknown;
  readonly _endpoint: string | undefined;
  constructor(config: FakeConfig) {
    this._credential = config.credential;
    this._endpoint = config.endpoint;
  }
  async callApi(action: string): Promise<string> {
    const credential = this._credential as { getCredential(): Promise<{ accessKeyId: string }> };
    return `${action} as ${(await credential.getCredential()).accessKeyId}`;
  }
  async getAccessKeyId(): Promise<string> {
    return 'from-credential';
  }
}

class ProductClient extends BaseClient {
  readonly _regionId = 'cn-hangzhou';
  #requests = 0;
  /** An API method touching a private field: works because it runs with `this` = the client itself. */
  async countRequests(): Promise<number> {
    return ++this.#requests;
  }
  getEndpoint(productId: string): string {
    return `${productId}.${this._regionId}.aliyuncs.com`;
  }
  async describeThingsWithOptions(request: { id: string }): Promise<string> {
    return this.callApi(`DescribeThings(${request.id})`);
  }
  async describeThings(request: { id: string }): Promise<string> {
    return this.describeThingsWithOptions(request);
  }
  async *streamThings(): AsyncGenerator<string> {
    yield 'a';
  }
  /** Like a generated `…Advance` method: calls its twin only after an `await` (an upload, in the SDK). */
  async describeThingsAdvance(request: { id: string }): Promise<string> {
    await Promise.resolve();
    return this.describeThingsWithOptions(request);
  }
}

class ClientWithClose extends ProductClient {
  closed = 0;
  close(): void {
    this.closed += 1;
  }
}

/** TypeScript's helper for `async` compiled to ES2015, as older generated SDKs ship it. */
function __awaiter<T>(
  thisArg: unknown,
  _args: unknown,
  _p: unknown,
  body: () => Generator<unknown, T>,
): Promise<T> {
  return Promise.resolve().then(() => {
    const steps = body.call(thisArg);
    let step = steps.next();
    while (!step.done) step = steps.next(step.value);
    return step.value;
  });
}

/** An API method the way TypeScript emits it for an ES2015 target. */
class DownlevelClient extends BaseClient {
  describeThings(): Promise<string> {
    return __awaiter(this, void 0, void 0, function* () {
      yield undefined;
      return 'downlevel';
    });
  }
}

function make(provider = new RecordingProvider(), config: FakeConfig = { endpoint: 'ecs.example' }) {
  const client = createClient(config, ProductClient, 'app', {
    provider: provider as unknown as ManagedCredentialsProvider,
    maxRetries: 2,
  });
  return { client, provider };
}

describe('the managed client', () => {
  it('is an instance of the client class and keeps its type', () => {
    const { client } = make();
    expect(client).toBeInstanceOf(ProductClient);
    expect(client).toBeInstanceOf(BaseClient);
    expect(client.constructor).toBe(ProductClient);
    expectTypeOf(client).toEqualTypeOf<ProductClient & ClosableClient>();
    // @ts-expect-error a method the client class does not have does not compile
    expect(client.describeThingz).toBeUndefined();
  });

  it('routes an API method through callWithAccessKey once, even when it calls its …WithOptions twin', async () => {
    const { client, provider } = make();
    await expect(client.describeThings({ id: 'x' })).resolves.toBe('DescribeThings(x) as LTAI-proxy-test');
    expect(provider.calls).toHaveLength(1);
    expect(provider.calls[0]?.secretName).toBe('app');
    expect(provider.calls[0]?.options?.maxRetries).toBe(2);
  });

  it('shows what a bare client shows: the same own keys, nothing of the plug-in in inspect or JSON', () => {
    const { client } = make();
    const bare = new ProductClient({ endpoint: 'ecs.example', credential: client._credential });
    expect(Object.keys(client)).toEqual(Object.keys(bare));
    expect(JSON.stringify(client)).toBe(JSON.stringify(bare));
    expect(inspect(client, { depth: 5 })).toBe(inspect(bare, { depth: 5 }));
  });

  it('runs a twin the method calls after an `await` (an …Advance upload) as a managed call of its own', async () => {
    const { client, provider } = make();
    await expect(client.describeThingsAdvance({ id: 'x' })).resolves.toBe(
      'DescribeThings(x) as LTAI-proxy-test',
    );
    expect(provider.calls).toHaveLength(2);
  });

  it('runs API methods on the client itself, so classes with #private fields work', async () => {
    const { client, provider } = make();
    await expect(client.countRequests()).resolves.toBe(1);
    expect(provider.calls).toHaveLength(1);
  });

  it('also wraps API methods compiled to __awaiter (older SDK builds)', async () => {
    const provider = new RecordingProvider();
    const client = createClient({}, DownlevelClient, 'app', {
      provider: provider as unknown as ManagedCredentialsProvider,
    });
    expect(client.describeThings).not.toBe(DownlevelClient.prototype.describeThings);
    await expect(client.describeThings()).resolves.toBe('downlevel');
    expect(provider.calls).toHaveLength(1);
  });

  it('returns the same wrapper on every read and keeps the method name', () => {
    const { client } = make();
    expect(client.describeThings).toBe(client.describeThings);
    expect(client.describeThings.name).toBe('describeThings');
  });

  it('passes sync helpers, async generators, credential getters and properties through untouched', async () => {
    const { client, provider } = make();
    expect(client.getEndpoint('ecs')).toBe('ecs.cn-hangzhou.aliyuncs.com');
    expect(client.streamThings).toBe(ProductClient.prototype.streamThings);
    expect(client.getAccessKeyId).toBe(BaseClient.prototype.getAccessKeyId);
    expect(client._endpoint).toBe('ecs.example');
    expect(provider.calls).toHaveLength(0);
  });

  it('injects a secret-backed credential and leaves the caller’s config untouched', async () => {
    const config: FakeConfig = {
      endpoint: 'ecs.example',
      accessKeyId: 'static',
      accessKeySecret: 'static-secret',
    };
    const { client } = make(new RecordingProvider(), config);
    expect(config).toEqual({
      endpoint: 'ecs.example',
      accessKeyId: 'static',
      accessKeySecret: 'static-secret',
    });
    const credential = client._credential as {
      getCredential(): Promise<{ accessKeyId: string; accessKeySecret: string; type: string }>;
      getAccessKeySecret(): Promise<string>;
      getType(): string;
    };
    const model = await credential.getCredential();
    expect(model.accessKeyId).toBe('LTAI-proxy-test');
    expect(model.accessKeySecret).toBe(SECRET);
    expect(model.type).toBe('access_key');
    expect(await credential.getAccessKeySecret()).toBe(SECRET);
    expect(credential.getType()).toBe('access_key');
    for (const shown of [
      JSON.stringify(model),
      inspect(model),
      JSON.stringify(credential),
      inspect(credential),
      String(credential),
      inspect(client, { depth: 5 }),
    ]) {
      expect(shown).not.toContain(SECRET);
    }
  });

  it('routes a method whose first call returns a value no more: later reads give the method itself', () => {
    class HelperClient extends ProductClient {
      regionOf(productId: string): string {
        return `${productId}@${this._regionId}`;
      }
    }
    const provider = new RecordingProvider();
    const client = createClient({}, HelperClient, 'app', {
      provider: provider as unknown as ManagedCredentialsProvider,
    });
    expect(client.regionOf).not.toBe(HelperClient.prototype.regionOf);
    expect(client.regionOf('ecs')).toBe('ecs@cn-hangzhou');
    expect(client.regionOf).toBe(HelperClient.prototype.regionOf);
    expect(provider.calls).toHaveLength(0);
  });

  it('shares method wrappers across clients; each call still runs on its own client', async () => {
    const first = make().client;
    const second = make().client;
    expect(first.countRequests).toBe(second.countRequests);
    await first.countRequests();
    await expect(first.countRequests()).resolves.toBe(2);
    await expect(second.countRequests()).resolves.toBe(1);
  });

  it('a method detached from its client runs as the bare one does: without `this`', async () => {
    const { client, provider } = make();
    const bare = new ProductClient({});
    const { countRequests: managedDetached } = client;
    const { countRequests: bareDetached } = bare;
    const bareError = await bareDetached().catch((e: unknown) => e);
    const managedError = await managedDetached().catch((e: unknown) => e);
    expect(bareError).toBeInstanceOf(TypeError);
    expect(managedError).toBeInstanceOf(TypeError);
    expect((managedError as Error).message).toBe((bareError as Error).message);
    expect(provider.calls).toHaveLength(0);
    await expect(managedDetached.call(client)).resolves.toBe(1);
  });

  it('checks a tea model class for stream fields once: only a class that declares one makes a call replay-checked', async () => {
    const { client, provider } = make();
    class PlainRequest {
      static types() {
        return { id: 'string', pageSize: 'number' };
      }
      constructor(readonly id: string) {}
    }
    class UploadRequest {
      static types() {
        return { id: 'string', body: 'Readable' };
      }
      constructor(
        readonly id: string,
        readonly body: PassThrough,
      ) {}
    }
    await client.describeThings(new PlainRequest('a'));
    await client.describeThings(new PlainRequest('b'));
    await client.describeThings(new UploadRequest('c', new PassThrough()));
    expect(provider.calls.map((call) => call.options?.replayable !== undefined)).toEqual([
      false,
      false,
      true,
    ]);
    expect(provider.calls[0]?.options).toBe(provider.calls[1]?.options);
  });

  it('marks a call whose stream argument was consumed as not replayable', async () => {
    const { client, provider } = make();
    const body = new PassThrough();
    await client.describeThings({ id: 'x', body } as { id: string });
    const replayable = provider.calls[0]?.options?.replayable;
    expect(replayable?.()).toBe(true);
    body.end('data');
    body.read();
    expect(replayable?.()).toBe(false);
  });
});

describe('closing', () => {
  it('close() releases the registration once, however often it is called', async () => {
    const { client, provider } = make();
    expect(provider.registered).toEqual(['app']);
    await client.close();
    await client.close();
    await closeClient(client);
    expect(provider.released).toBe(1);
    expect('close' in client).toBe(true);
  });

  it('leaves a client class’s own close alone; closeClient releases instead', async () => {
    const provider = new RecordingProvider();
    const client = createClient({}, ClientWithClose, 'app', {
      provider: provider as unknown as ManagedCredentialsProvider,
    });
    expectTypeOf(client).toEqualTypeOf<ClientWithClose>();
    client.close();
    expect(client.closed).toBe(1);
    expect(provider.released).toBe(0);
    await closeClient(client);
    expect(provider.released).toBe(1);
  });

  it('close read off a client and called without it rejects with a TypeError and releases nothing', async () => {
    const { client, provider } = make();
    const { close } = client;
    await expect(close()).rejects.toThrow(TypeError);
    expect(provider.released).toBe(0);
  });

  it('closeClient rejects a client createClient did not make', async () => {
    await expect(closeClient(new ProductClient({}))).rejects.toThrow(TypeError);
  });
});

describe('arguments', () => {
  it('rejects an empty secret name', () => {
    const provider = new RecordingProvider() as unknown as ManagedCredentialsProvider;
    expect(() => createClient({}, ProductClient, '', { provider })).toThrow(/secretName/);
  });
});
