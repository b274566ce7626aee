/**
 * Issue 16 (SPEC §1, §5): secrets of every type — generic JSON, text, binary,
 * RDS, RAM — read through the same cache entry, single flight, refresh
 * schedule and events as the AccessKey of a RAM secret; fake-cloud's KMS over
 * real HTTP, time on the injected clock.
 */
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import {
  getSecretInfo,
  getSecretValue,
  ManagedCredentialsProvider,
  SecretFormatError,
  SecretValueInfo,
  setDefaultProvider,
  type ManagedCredentialsConfig,
  type ProviderOptions,
} from '../src/index.js';
import { FAST_RETRY, fakeCloudConfig, kmsCalls, nextEvent, recordEvents } from './helpers/kms-fixtures.js';
import { ManualScheduler } from './helpers/manual-scheduler.js';

let cloud: FakeCloud;
const providers: ManagedCredentialsProvider[] = [];

beforeAll(async () => {
  cloud = await startFakeCloud();
});
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
});
afterAll(() => cloud.close());

function setup(config: Partial<ManagedCredentialsConfig> = {}, options: Partial<ProviderOptions> = {}) {
  const scheduler = new ManualScheduler();
  const provider = new ManagedCredentialsProvider({
    config: fakeCloudConfig(cloud, config),
    scheduler,
    clock: scheduler,
    random: () => 0,
    retry: FAST_RETRY,
    ...options,
  });
  providers.push(provider);
  return { provider, scheduler };
}

/** Resolves with the next info the change listener of `name` receives. */
function nextChange(provider: ManagedCredentialsProvider, name: string): Promise<SecretValueInfo> {
  return new Promise((resolve) => {
    const stop = provider.onSecretChange(name, (info) => {
      stop();
      resolve(info);
    });
  });
}

describe('secrets of every type through the cache', () => {
  it('reads generic JSON, text and binary secrets; many reads cost one KMS fetch each', async () => {
    const json = cloud.createSecret('db-json', { AccountName: 'app', AccountPassword: 'Pw-json-123456' });
    const text = cloud.createSecret('api-token', 'tok-text-abcdef');
    const bytes = Uint8Array.from([0, 1, 2, 200, 255]);
    const binary = cloud.createSecret('blob', bytes);
    const { provider } = setup();
    for (const name of ['db-json', 'api-token', 'blob']) {
      const infos = await Promise.all(Array.from({ length: 10 }, () => provider.getSecretInfo(name)));
      await provider.getSecretValue(name);
      expect(new Set(infos).size).toBe(1);
      expect(kmsCalls(cloud, name)).toBe(1);
    }
    const jsonInfo = await provider.getSecretInfo('db-json');
    expect(jsonInfo).toBeInstanceOf(SecretValueInfo);
    expect(jsonInfo).toMatchObject({
      secretName: 'db-json',
      versionId: json.versionId,
      secretType: 'Generic',
      secretDataType: 'text',
      versionStages: ['ACSCurrent'],
      createTime: json.createTime,
    });
    expect(jsonInfo.extendedConfig).toBeUndefined();
    expect(jsonInfo.automaticRotation).toBeUndefined();
    expect(JSON.parse(jsonInfo.secretValue)).toEqual({
      AccountName: 'app',
      AccountPassword: 'Pw-json-123456',
    });
    expect(jsonInfo.secretBytes.toString('utf8')).toBe(jsonInfo.secretValue);
    expect(await provider.getSecretValue('api-token')).toBe('tok-text-abcdef');
    expect((await provider.getSecretInfo('api-token')).versionId).toBe(text.versionId);

    const blob = await provider.getSecretInfo('blob');
    expect(blob.secretDataType).toBe('binary');
    expect(blob.secretValue).toBe(binary.secretData);
    expect(await provider.getSecretValue('blob')).toBe(Buffer.from(bytes).toString('base64'));
    expect(blob.secretBytes).toEqual(Buffer.from(bytes));
    // Frozen, and the bytes are a copy: changing them changes nothing cached.
    expect(Object.isFrozen(blob)).toBe(true);
    expect(() => Object.assign(blob, { versionId: 'other' })).toThrow(TypeError);
    blob.secretBytes.fill(7);
    expect(blob.secretBytes).toEqual(Buffer.from(bytes));
    expect(kmsCalls(cloud, 'blob')).toBe(1);
  });

  it('an RDS secret carries its parsed, frozen extended config and its rotation fields', async () => {
    const view = cloud.createRdsSecret('db-rds', { accountName: 'reporting', dbInstanceId: 'rm-abc' });
    const { provider } = setup();
    const info = await provider.getSecretInfo('db-rds');
    expect(info).toMatchObject({
      secretType: 'Rds',
      automaticRotation: 'Enabled',
      rotationInterval: '604800s',
      nextRotationDate: view.nextRotationDate,
      extendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-abc', CustomData: {} },
    });
    expect(Object.isFrozen(info.extendedConfig)).toBe(true);
    expect(Object.isFrozen(info.extendedConfig?.['CustomData'])).toBe(true);
    expect(JSON.parse(info.secretValue)).toMatchObject({ AccountName: 'reporting' });
  });

  it('a RAM secret read as a secret and as an AccessKey costs one KMS fetch', async () => {
    const created = cloud.createRamSecret('ram-both');
    const { provider } = setup();
    const [info, key] = await Promise.all([
      provider.getSecretInfo('ram-both'),
      provider.getAccessKey('ram-both'),
    ]);
    await provider.callWithAccessKey('ram-both', async (used) => expect(used).toBe(key));
    expect(provider.currentAccessKey('ram-both')).toBe(key);
    expect(kmsCalls(cloud, 'ram-both')).toBe(1);
    expect(info).toMatchObject({ secretType: 'RamCredentials', versionId: key.versionId });
    expect(info.extendedConfig?.['SecretSubType']).toBe('RamUserAccessKey');
    expect(JSON.parse(info.secretValue)).toMatchObject({ AccessKeyId: created.accessKey?.accessKeyId });
    expect(key.generation).toBe(1);
  });

  it('AccessKey readers of a generic secret get SecretFormatError naming it; secret readers are unaffected', async () => {
    cloud.createSecret('not-a-key', 'Pw-plain-987654');
    const { provider } = setup();
    const events = recordEvents(provider, ['refreshed', 'refresh-failed']);
    const refused = await provider.getAccessKey('not-a-key').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SecretFormatError);
    expect(refused).toMatchObject({ code: 'MC_SECRET_FORMAT_INVALID', secretName: 'not-a-key' });
    expect((refused as Error).message).toContain('"not-a-key"');
    expect((refused as Error).message).not.toContain('Pw-plain');
    expect(await provider.getSecretValue('not-a-key')).toBe('Pw-plain-987654');
    expect(() => provider.currentAccessKey('not-a-key')).toThrow(SecretFormatError);
    await expect(provider.callWithAccessKey('not-a-key', async () => 'never')).rejects.toBeInstanceOf(
      SecretFormatError,
    );
    await expect(provider.refreshSecret('not-a-key')).rejects.toBeInstanceOf(SecretFormatError);
    await expect(provider.ready(['not-a-key'])).resolves.toBeUndefined();
    // The first fetch and the forced refresh; the refused AccessKey reads fetched nothing and failed nothing.
    expect(kmsCalls(cloud, 'not-a-key')).toBe(2);
    expect(events.map(({ event }) => event)).toEqual(['refreshed', 'refreshed']);
  });

  it('a missing secret rejects with MC_SECRET_NOT_FOUND naming the secret', async () => {
    const { provider } = setup();
    for (const read of [
      provider.getSecretInfo('no-such-secret'),
      provider.getSecretValue('no-such-secret'),
    ]) {
      const error = await read.catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'MC_SECRET_NOT_FOUND', secretName: 'no-such-secret' });
      expect((error as Error).message).toContain('no-such-secret');
    }
  });
});

describe('rotation of any secret', () => {
  it('is seen after refreshSecretInfo, and after refreshSecret of a RAM secret (one entry)', async () => {
    cloud.createRdsSecret('rotating-rds');
    cloud.createRamSecret('rotating-ram');
    const { provider } = setup();
    const events = recordEvents(provider, ['refreshed']);
    const first = await provider.getSecretInfo('rotating-rds');
    const rotated = cloud.rotateSecret('rotating-rds');
    expect((await provider.getSecretInfo('rotating-rds')).versionId).toBe(first.versionId);
    const second = await provider.refreshSecretInfo('rotating-rds');
    expect(second.versionId).toBe(rotated.versionId);
    expect(second.secretValue).not.toBe(first.secretValue);
    await expect(provider.getSecretInfo('rotating-rds')).resolves.toBe(second);
    expect(kmsCalls(cloud, 'rotating-rds')).toBe(2);
    expect(events.at(-1)?.payload).toMatchObject({
      secretName: 'rotating-rds',
      versionId: rotated.versionId,
      generation: 2,
      reason: 'manual',
      keyChanged: true,
    });

    const before = await provider.getSecretInfo('rotating-ram');
    const ramRotated = cloud.rotateSecret('rotating-ram');
    const key = await provider.refreshSecret('rotating-ram');
    const after = await provider.getSecretInfo('rotating-ram');
    expect([key.versionId, after.versionId]).toEqual([ramRotated.versionId, ramRotated.versionId]);
    expect(after.versionId).not.toBe(before.versionId);
    expect(JSON.parse(after.secretValue)).toMatchObject({ AccessKeyId: key.accessKeyId });
    expect(kmsCalls(cloud, 'rotating-ram')).toBe(2);
  });

  it('is seen by the scheduled refresh after refresh_secret_ttl (injected clock)', async () => {
    cloud.createSecret('scheduled-generic', 'Pw-before-rotation');
    const { provider, scheduler } = setup({ refreshSecretTtlMs: 10 * 60_000 });
    const changed = nextChange(provider, 'scheduled-generic');
    await provider.getSecretInfo('scheduled-generic');
    expect(scheduler.nextDelayMs()).toBe(10 * 60_000);
    const rotated = cloud.rotateSecret('scheduled-generic');
    const refreshed = nextEvent(provider, 'refreshed', (e) => e.reason === 'scheduled');
    scheduler.advance(10 * 60_000);
    const info = await changed;
    expect(info).toMatchObject({ versionId: rotated.versionId, secretValue: rotated.secretData });
    expect(await refreshed).toMatchObject({ secretName: 'scheduled-generic', keyChanged: true });
    expect(kmsCalls(cloud, 'scheduled-generic')).toBe(2);
  });

  it('follows an RDS secret rotation date: the refresh runs just after NextRotationDate', async () => {
    const view = cloud.createRdsSecret('rds-dated', { rotationInterval: '3600s' });
    const { provider, scheduler } = setup({ delayIntervalMs: 5 * 60_000 });
    const stop = provider.onSecretChange('rds-dated', () => undefined);
    await provider.getSecretInfo('rds-dated');
    const expected = Date.parse(view.nextRotationDate ?? '') + 5 * 60_000 - scheduler.now();
    expect(scheduler.nextDelayMs()).toBe(Math.max(0, expected));
    stop();
    expect(scheduler.pending).toBe(0);
  });
});

describe('onSecretChange', () => {
  it('fires once per change, not on an unchanged refresh, and stops after unsubscribing', async () => {
    cloud.createSecret('watched', { password: 'Pw-watch-0001' });
    const { provider } = setup();
    const seen: SecretValueInfo[] = [];
    const stop = provider.onSecretChange('watched', (info) => seen.push(info));
    await provider.getSecretInfo('watched');
    await provider.refreshSecretInfo('watched');
    expect(seen).toEqual([]);

    cloud.rotateSecret('watched');
    const second = await provider.refreshSecretInfo('watched');
    await provider.refreshSecretInfo('watched');
    expect(seen).toEqual([second]);

    cloud.rotateSecret('watched');
    cloud.rotateSecret('watched');
    const third = await provider.refreshSecretInfo('watched');
    expect(seen).toEqual([second, third]);

    stop();
    stop();
    cloud.rotateSecret('watched');
    await provider.refreshSecretInfo('watched');
    expect(seen).toHaveLength(2);
  });

  it('claims the secret while subscribed: fetched at once, a refresh timer until the last unsubscribe', async () => {
    cloud.createSecret('claimed', 'Pw-claimed-0001');
    const { provider, scheduler } = setup();
    const fetched = nextEvent(provider, 'refreshed', (e) => e.secretName === 'claimed');
    const stopFirst = provider.onSecretChange('claimed', () => undefined);
    const stopSecond = provider.onSecretChange('claimed', () => undefined);
    await fetched;
    expect(kmsCalls(cloud, 'claimed')).toBe(1);
    expect(scheduler.pending).toBe(1);
    stopFirst();
    expect(scheduler.pending).toBe(1);
    stopSecond();
    expect(scheduler.pending).toBe(0);
  });

  it('a listener that throws is reported as a warning; the other listeners still run', async () => {
    cloud.createSecret('throwing', 'Pw-throw-0001');
    const { provider } = setup();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      provider.onSecretChange('throwing', () => {
        throw new Error('listener broke');
      });
      const changed = nextChange(provider, 'throwing');
      await provider.getSecretInfo('throwing');
      cloud.rotateSecret('throwing');
      await provider.refreshSecretInfo('throwing');
      await changed;
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => (warning as { code?: string }).code)).toContain('MC_LISTENER_FAILED');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('the secret value stays hidden', () => {
  it('inspect, String, JSON and spread never show it; the properties do', async () => {
    const password = 'Pw-hidden-value-424242';
    cloud.createSecret('hidden', { AccountPassword: password });
    cloud.createSecret('hidden-binary', Buffer.from(password));
    const { provider } = setup();
    for (const name of ['hidden', 'hidden-binary']) {
      const info = await provider.getSecretInfo(name);
      const base64 = Buffer.from(password).toString('base64');
      for (const shown of [
        inspect(info),
        inspect(info, { showHidden: true, depth: 5 }),
        String(info),
        JSON.stringify(info),
        JSON.stringify({ ...info }),
        inspect({ ...info }),
      ]) {
        expect(shown).not.toContain(password);
        expect(shown).not.toContain(base64);
      }
      expect(JSON.stringify(info)).toContain('"secretValue":"<redacted>"');
      expect(info.secretBytes.toString()).toContain(password);
    }
  });
});

describe('package-level reads', () => {
  it('getSecretInfo and getSecretValue read through the default provider', async () => {
    cloud.createSecret('package-level', 'Pw-package-0001');
    const { provider } = setup();
    setDefaultProvider(provider);
    try {
      expect(await getSecretValue('package-level')).toBe('Pw-package-0001');
      expect(await getSecretInfo('package-level')).toBe(await provider.getSecretInfo('package-level'));
      expect(kmsCalls(cloud, 'package-level')).toBe(1);
    } finally {
      setDefaultProvider(undefined);
    }
  });
});
