/**
 * createClient against the real SDK clients of both families, the real core
 * provider and the fake cloud over HTTP (SPEC §1, §6).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { startFakeCloud, whenRequestsArrive, type FakeCloud } from 'managed-credentials-fake-cloud';
import {
  ManagedCredentialsProvider,
  NotReadyError,
  isExpiredKeyError,
  setDefaultProvider,
  type ExpiredKeyJudge,
} from 'managed-credentials';
import {
  closeClient,
  createClient,
  withCallOptions,
  type ClosableClient,
  type CreateClientOptions,
} from 'managed-credentials-tea-openapi';
import {
  $Ecs,
  $EcsLegacy,
  Ecs,
  EcsLegacy,
  OpenApiClientBase,
  OpenApiCoreClient,
  REGION,
  latestConfig,
  legacyConfig,
} from './sdk-clients.js';
import { collectGarbageUntil } from '../../../test/support/collect-garbage.js';

interface DescribeParams {
  pageSize?: number;
}

/** What the tests need of an ECS client, whichever family made it. */
interface EcsUnderTest {
  readonly client: ClosableClient;
  describe(params?: DescribeParams): Promise<string | undefined>;
}

interface Family {
  readonly name: string;
  readonly Client: abstract new (...args: never[]) => object;
  readonly Base: abstract new (...args: never[]) => object;
  /** Where the SDK's own code (which builds its errors) lives. */
  readonly sdkPath: string;
  create(cloud: FakeCloud, secretName: string, options: CreateClientOptions): EcsUnderTest;
}

const families: Family[] = [
  {
    name: '@alicloud/ecs20140526@7 on @alicloud/openapi-core',
    Client: Ecs,
    Base: OpenApiCoreClient,
    sdkPath: '@alicloud/openapi-core',
    create(cloud, secretName, options) {
      const client = createClient(latestConfig(cloud.ecs.endpoint), Ecs, secretName, options);
      expectTypeOf(client).toEqualTypeOf<InstanceType<typeof Ecs> & ClosableClient>();
      return {
        client,
        describe: async (params = {}) =>
          (await client.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, ...params })))
            .body?.instances?.instance?.[0]?.instanceId,
      };
    },
  },
  {
    name: '@alicloud/ecs20140526@4 on @alicloud/openapi-client',
    Client: EcsLegacy,
    Base: OpenApiClientBase,
    sdkPath: '@alicloud/openapi-client',
    create(cloud, secretName, options) {
      const client = createClient(legacyConfig(cloud.ecs.endpoint), EcsLegacy, secretName, options);
      expectTypeOf(client).toEqualTypeOf<InstanceType<typeof EcsLegacy> & ClosableClient>();
      return {
        client,
        describe: async (params = {}) =>
          (
            await client.describeInstances(
              new $EcsLegacy.DescribeInstancesRequest({ regionId: REGION, ...params }),
            )
          ).body?.instances?.instance?.[0]?.instanceId,
      };
    },
  },
];

const INSTANCE_ID = 'i-bp1fakecloud00000001';
const CUSTOM_CODE = 'Custom.KeyRejected';

let cloud: FakeCloud;
const providers: ManagedCredentialsProvider[] = [];
const clients: ClosableClient[] = [];
let secretCounter = 0;

beforeAll(async () => {
  cloud = await startFakeCloud();
});

afterAll(async () => {
  await cloud.close();
});

beforeEach(() => {
  cloud.counters.reset();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
  cloud.faults.ecs.clear();
  cloud.faults.kms.clear();
});

function newProvider(): ManagedCredentialsProvider {
  const provider = new ManagedCredentialsProvider({ config: cloud.pluginConfig({ regionId: REGION }) });
  providers.push(provider);
  return provider;
}

/** A fresh RAM secret, a fresh provider and a client of `family` on it. */
function setUp(family: Family, options: Omit<CreateClientOptions, 'provider'> = {}) {
  const secretName = `ram-secret-${++secretCounter}`;
  const created = cloud.createRamSecret(secretName);
  const ecs = family.create(cloud, secretName, { ...options, provider: newProvider() });
  clients.push(ecs.client);
  return { secretName, firstKeyId: created.accessKey!.accessKeyId, ecs };
}

function kmsFetches(secretName: string): number {
  return cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName });
}

function ecsRequests(outcome?: string): number {
  return cloud.counters.count({
    service: 'ecs',
    action: 'DescribeInstances',
    ...(outcome ? { outcome } : {}),
  });
}

/** Key ids the fake ECS saw, per outcome. */
function ecsKeyIds(outcome: string): string[] {
  return cloud.counters
    .list()
    .filter((r) => r.service === 'ecs' && r.outcome === outcome)
    .map((r) => r.accessKeyId ?? '');
}

/** A judge that remembers every error it was shown. */
function recordingJudge(decide: ExpiredKeyJudge = (error) => isExpiredKeyError(error)) {
  const seen: unknown[] = [];
  const judge: ExpiredKeyJudge = (error) => {
    seen.push(error);
    return decide(error);
  };
  return { seen, judge };
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('the call was expected to fail'),
    (error: unknown) => error,
  );
}

describe.each(families)('createClient with $name', (family) => {
  it('signs DescribeInstances with the AccessKey held in the secret', async () => {
    const { secretName, firstKeyId, ecs } = setUp(family);
    await expect(ecs.describe()).resolves.toBe(INSTANCE_ID);
    expect(ecsKeyIds('ok')).toEqual([firstKeyId]);
    expect(kmsFetches(secretName)).toBe(1);
    // The first request waited for the first KMS fetch.
    expect(cloud.counters.list().map((record) => record.service)).toEqual(['kms', 'ecs']);
  });

  it('hands each request the key its call chose: no second read of the cache per call', async () => {
    const { firstKeyId, ecs } = setUp(family);
    await ecs.describe();
    const reads = vi.spyOn(providers.at(-1)!, 'currentAccessKey');
    cloud.counters.reset();

    await Promise.all([ecs.describe(), ecs.describe()]);

    expect(ecsKeyIds('ok')).toEqual([firstKeyId, firstKeyId]);
    // The credential answered the SDK with the key callWithAccessKey gave the attempt, not the cache's.
    expect(reads).not.toHaveBeenCalled();
  });

  it('returns an instance of the client class', () => {
    const { ecs } = setUp(family);
    expect(ecs.client).toBeInstanceOf(family.Client);
    expect(ecs.client).toBeInstanceOf(family.Base);
  });

  it('survives a rotation that revoked the old key: one rejected request, one KMS fetch, one accepted retry', async () => {
    const { secretName, firstKeyId, ecs } = setUp(family);
    await ecs.describe();
    const rotation = cloud.rotate(secretName, { revokeOld: 'now' });
    cloud.counters.reset();

    await expect(ecs.describe()).resolves.toBe(INSTANCE_ID);

    expect(ecsKeyIds('InvalidAccessKeyId.NotFound')).toEqual([firstKeyId]);
    expect(kmsFetches(secretName)).toBe(1);
    expect(ecsKeyIds('ok')).toEqual([rotation.accessKey.accessKeyId]);
    expect(ecsRequests()).toBe(2);
  });

  it('lets 100 calls in flight across a rotation through with a single KMS fetch', async () => {
    const { secretName, firstKeyId, ecs } = setUp(family);
    await ecs.describe();
    cloud.counters.reset();
    // The fake ECS holds every request before checking its key, so all 100 are on the wire, signed
    // with the first key, when the secret is rotated and that key revoked.
    cloud.faults.ecs.setLatency(100);
    const rotated = whenRequestsArrive(cloud.ecs.endpoint, 100, () =>
      cloud.rotate(secretName, { revokeOld: 'now' }),
    );
    const calls = Array.from({ length: 100 }, () => ecs.describe());

    const [rotation, results] = await Promise.all([rotated, Promise.all(calls)]);
    const newKeyId = rotation.accessKey.accessKeyId;

    expect(results).toEqual(Array.from({ length: 100 }, () => INSTANCE_ID));
    expect(kmsFetches(secretName)).toBe(1);
    // At least the 100th request is checked after the revocation (more, unless the machine is slow).
    const rejected = ecsKeyIds('InvalidAccessKeyId.NotFound');
    expect(rejected.length).toBeGreaterThan(0);
    expect(new Set(rejected)).toEqual(new Set([firstKeyId]));
    const accepted = ecsKeyIds('ok');
    expect(accepted).toHaveLength(100);
    expect(accepted.filter((keyId) => keyId === newKeyId)).toHaveLength(rejected.length);
    expect(accepted.filter((keyId) => keyId !== newKeyId)).toEqual(
      Array.from({ length: 100 - rejected.length }, () => firstKeyId),
    );
  });

  it('hands a non-key error to the caller as the very object the SDK threw, without asking KMS', async () => {
    const { seen, judge } = recordingJudge();
    const { secretName, ecs } = setUp(family, { isExpiredKeyError: judge });
    await ecs.describe();
    cloud.counters.reset();

    const error = await rejectionOf(ecs.describe({ pageSize: 500 }));

    expect(seen).toHaveLength(1);
    expect(error).toBe(seen[0]);
    expect(codeOf(error)).toBe('InvalidParameter');
    expect((error as Error).stack).toContain(family.sdkPath);
    expect(kmsFetches(secretName)).toBe(0);
    expect(ecsRequests()).toBe(1);
  });

  it('passes a non-key error through with the default judge too', async () => {
    const { secretName, ecs } = setUp(family);
    await ecs.describe();
    cloud.counters.reset();
    expect(codeOf(await rejectionOf(ecs.describe({ pageSize: 500 })))).toBe('InvalidParameter');
    expect(kmsFetches(secretName)).toBe(0);
  });

  it('asks a custom judge: a code it calls expired triggers refresh and retry', async () => {
    const { judge } = recordingJudge((error) => codeOf(error) === CUSTOM_CODE);
    const { secretName, ecs } = setUp(family, { isExpiredKeyError: judge });
    await ecs.describe();
    const rotation = cloud.rotate(secretName);
    cloud.faults.ecs.failNext(1, 'internal-error', { status: 403, code: CUSTOM_CODE });
    cloud.counters.reset();

    await expect(ecs.describe()).resolves.toBe(INSTANCE_ID);

    expect(ecsRequests(CUSTOM_CODE)).toBe(1);
    expect(kmsFetches(secretName)).toBe(1);
    expect(ecsKeyIds('ok')).toEqual([rotation.accessKey.accessKeyId]);
  });

  it('asks a custom judge: an expired key it does not recognise reaches the caller unretried', async () => {
    const { seen, judge } = recordingJudge(() => false);
    const { secretName, ecs } = setUp(family, { isExpiredKeyError: judge });
    await ecs.describe();
    cloud.rotate(secretName, { revokeOld: 'now' });
    cloud.counters.reset();

    const error = await rejectionOf(ecs.describe());

    expect(error).toBe(seen[0]);
    expect(codeOf(error)).toBe('InvalidAccessKeyId.NotFound');
    expect(kmsFetches(secretName)).toBe(0);
    expect(ecsRequests()).toBe(1);
  });

  it('treats Unauthorized as an expired key only when asked to', async () => {
    const strict = setUp(family);
    const lenient = setUp(family, { treatUnauthorizedAsExpired: true });
    await Promise.all([strict.ecs.describe(), lenient.ecs.describe()]);
    cloud.rotate(strict.secretName);
    cloud.rotate(lenient.secretName);

    cloud.faults.ecs.failNext(1, 'internal-error', { status: 401, code: 'Unauthorized' });
    expect(codeOf(await rejectionOf(strict.ecs.describe()))).toBe('Unauthorized');
    cloud.faults.ecs.failNext(1, 'internal-error', { status: 401, code: 'Unauthorized' });
    await expect(lenient.ecs.describe()).resolves.toBe(INSTANCE_ID);

    expect(kmsFetches(strict.secretName)).toBe(1);
    expect(kmsFetches(lenient.secretName)).toBe(2);
  });

  it('rethrows the first error the SDK threw once the retries are used up', async () => {
    const { seen, judge } = recordingJudge((error) => codeOf(error) === CUSTOM_CODE);
    const { secretName, ecs } = setUp(family, { isExpiredKeyError: judge, maxRetries: 1 });
    await ecs.describe();
    cloud.rotate(secretName);
    cloud.faults.ecs.failNext(2, 'internal-error', { status: 403, code: CUSTOM_CODE });
    cloud.counters.reset();

    const error = await rejectionOf(ecs.describe());

    // Both attempts were rejected with equal-looking errors; the caller gets the first one, as thrown.
    expect(seen).toHaveLength(2);
    expect(error).toBe(seen[0]);
    expect(error).not.toBe(seen[1]);
    expect(codeOf(error)).toBe(CUSTOM_CODE);
    expect(ecsRequests()).toBe(2);
  });

  it('does not retry at all with maxRetries 0', async () => {
    const { secretName, ecs } = setUp(family, { maxRetries: 0 });
    await ecs.describe();
    cloud.rotate(secretName, { revokeOld: 'now' });
    cloud.counters.reset();

    expect(codeOf(await rejectionOf(ecs.describe()))).toBe('InvalidAccessKeyId.NotFound');
    expect(ecsRequests()).toBe(1);
  });

  it('withCallOptions({ signal }): aborting while the call waits for the refresh rejects with the reason', async () => {
    const { secretName, ecs } = setUp(family);
    await ecs.describe();
    cloud.rotate(secretName, { revokeOld: 'now' });
    cloud.faults.kms.setLatency(200);
    cloud.counters.reset();
    const controller = new AbortController();
    const reason = new Error('the caller gave up');
    // Aborted once the refresh's KMS request is on the wire (and held there): the call is waiting for it.
    const aborted = whenRequestsArrive(cloud.kms.endpoint, 1, () => controller.abort(reason));

    const error = await rejectionOf(withCallOptions({ signal: controller.signal }, () => ecs.describe()));
    await aborted;

    expect(error).toBe(reason);
    expect(ecsRequests('InvalidAccessKeyId.NotFound')).toBe(1);
    expect(ecsRequests()).toBe(1);
  });

  it('withCallOptions({ signal }): an aborted signal ends the wait for the first fetch, no request is sent', async () => {
    const { ecs } = setUp(family);
    const reason = new Error('the caller gave up');

    const error = await rejectionOf(
      withCallOptions({ signal: AbortSignal.abort(reason) }, () => ecs.describe()),
    );

    expect(error).toBe(reason);
    expect(ecsRequests()).toBe(0);
  });

  it('close() and closeClient() can be called more than once', async () => {
    const { ecs } = setUp(family);
    await ecs.describe();
    await ecs.client.close();
    await ecs.client.close();
    await expect(closeClient(ecs.client)).resolves.toBeUndefined();
    // Closed only means "no longer kept fresh for this client": a late call still works.
    await expect(ecs.describe()).resolves.toBe(INSTANCE_ID);
  });
});

describe('a client dropped without close()', () => {
  /** Makes a client on `provider`, uses it, and drops it without close(). */
  async function useAndForget(provider: ManagedCredentialsProvider, secretName: string): Promise<void> {
    const client = createClient(latestConfig(cloud.ecs.endpoint), Ecs, secretName, { provider });
    await client.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION }));
  }

  it('releases its claim on the secret once garbage-collected', async () => {
    const provider = newProvider();
    const secretName = `ram-secret-${++secretCounter}`;
    cloud.createRamSecret(secretName);
    const secretDropped = (): boolean => {
      try {
        provider.currentAccessKey(secretName);
        return false;
      } catch (error) {
        if (error instanceof NotReadyError) return true;
        throw error;
      }
    };
    await useAndForget(provider, secretName);
    // The forgotten client's claim was the only one: while it holds, the provider keeps the key cached.
    expect(secretDropped()).toBe(false);
    expect(await collectGarbageUntil(secretDropped)).toBe(true);
  });
});

describe('createClient without a provider option', () => {
  afterEach(() => setDefaultProvider(undefined));

  it('uses the default provider', async () => {
    setDefaultProvider(newProvider());
    const secretName = `ram-secret-${++secretCounter}`;
    cloud.createRamSecret(secretName);
    const client = createClient(latestConfig(cloud.ecs.endpoint), Ecs, secretName);
    clients.push(client);
    const response = await client.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION }));
    expect(response.body?.instances?.instance?.[0]?.instanceId).toBe(INSTANCE_ID);
    expect(kmsFetches(secretName)).toBe(1);
  });
});

describe("createClient given the client package's module object (Node ESM default import)", () => {
  it("builds the module's default class and signs with the secret", async () => {
    const secretName = `ram-secret-${++secretCounter}`;
    cloud.createRamSecret(secretName);
    // What `import Ecs from '@alicloud/ecs20140526'` is under Node's ESM loader (vitest unwraps it).
    const esmDefaultImport = { default: Ecs, DescribeInstancesRequest: $Ecs.DescribeInstancesRequest };
    const client = createClient(latestConfig(cloud.ecs.endpoint), esmDefaultImport, secretName, {
      provider: newProvider(),
    });
    clients.push(client);
    expectTypeOf(client).toEqualTypeOf<InstanceType<typeof Ecs> & ClosableClient>();
    expect(client).toBeInstanceOf(Ecs);
    const response = await client.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION }));
    expect(response.body?.instances?.instance?.[0]?.instanceId).toBe(INSTANCE_ID);
  });

  it('rejects a second argument that is neither a class nor a module with a class as default', () => {
    const notAClient = { default: 'Ecs' } as unknown as typeof Ecs;
    expect(() => createClient(latestConfig(cloud.ecs.endpoint), notAClient, 'some-secret')).toThrow(
      /client class or its package's module/,
    );
  });
});
