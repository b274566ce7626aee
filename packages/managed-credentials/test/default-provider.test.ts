import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, toProperties, type FakeCloud } from 'managed-credentials-fake-cloud';
import {
  ConfigError,
  ManagedCredentialsProvider,
  closeDefaultProvider,
  getDefaultProvider,
  setDefaultProvider,
} from '../src/index.js';
import { setConfigFilePath } from '../src/config/config-file.js';

let cloud: FakeCloud;
let dir: string;

beforeAll(async () => {
  cloud = await startFakeCloud();
  dir = mkdtempSync(join(tmpdir(), 'mc-default-'));
  const file = join(dir, 'managed_credentials_providers.properties');
  writeFileSync(file, toProperties(cloud.pluginConfig()));
  setConfigFilePath(file);
  cloud.createRamSecret('default-secret');
});

afterEach(async () => {
  await closeDefaultProvider();
});

afterAll(async () => {
  setConfigFilePath(undefined);
  rmSync(dir, { recursive: true, force: true });
  await cloud.close();
});

describe('the default provider', () => {
  it('is created lazily from the config file and reused', async () => {
    const provider = getDefaultProvider();
    expect(getDefaultProvider()).toBe(provider);
    await expect(provider.getAccessKey('default-secret')).resolves.toMatchObject({ generation: 1 });
  });

  it('is re-created on the next use after closeDefaultProvider() or after being closed directly', async () => {
    const first = getDefaultProvider();
    await closeDefaultProvider();
    expect(first.closed).toBe(true);
    const second = getDefaultProvider();
    expect(second).not.toBe(first);
    await second.close();
    const third = getDefaultProvider();
    expect(third).not.toBe(second);
    expect(third.closed).toBe(false);
  });

  it('can be replaced, and reset to lazy creation', async () => {
    const mine = new ManagedCredentialsProvider({
      configFile: join(dir, 'managed_credentials_providers.properties'),
    });
    setDefaultProvider(mine);
    expect(getDefaultProvider()).toBe(mine);
    setDefaultProvider(undefined);
    expect(getDefaultProvider()).not.toBe(mine);
    await mine.close();
  });

  it('reports a missing config file as a ConfigError at first use', () => {
    setConfigFilePath(join(dir, 'absent.properties'));
    try {
      expect(() => getDefaultProvider()).toThrow(ConfigError);
    } finally {
      setConfigFilePath(join(dir, 'managed_credentials_providers.properties'));
    }
  });
});
