/**
 * Issue 16 / SPEC §2: when `managed_credentials_providers.properties` is absent
 * from the working directory, the Secrets Manager Client's
 * `secretsmanager.properties` there is read (same keys); ours wins when both
 * exist, and a file chosen explicitly wins over both.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig, resolveConfigFilePath, setConfigFilePath } from '../src/config/index.js';
import { TempDir } from './helpers/config-fixtures.js';

const dirs: TempDir[] = [];
afterEach(() => setConfigFilePath(undefined));
afterAll(() => dirs.forEach((dir) => dir.remove()));

function folder(files: Record<string, string>): string {
  const dir = new TempDir();
  dirs.push(dir);
  for (const [name, regionId] of Object.entries(files)) {
    dir.writeProperties(name, {
      credentials_type: 'ecs_ram_role',
      cache_client_region_id: JSON.stringify([{ regionId }]),
    });
  }
  return dir.path;
}

describe('the Secrets Manager Client file as a fallback', () => {
  it('reads secretsmanager.properties when managed_credentials_providers.properties is absent', () => {
    const cwd = folder({ 'secretsmanager.properties': 'cn-shanghai' });
    const config = loadConfig({ cwd, env: {} });
    expect(config.regions.map((region) => region.regionId)).toEqual(['cn-shanghai']);
    expect(config.origin.file).toBe(join(cwd, 'secretsmanager.properties'));
    expect(resolveConfigFilePath({ cwd, env: {} })).toBe(join(cwd, 'secretsmanager.properties'));
  });

  it('prefers managed_credentials_providers.properties when both exist', () => {
    const cwd = folder({
      'secretsmanager.properties': 'cn-shanghai',
      'managed_credentials_providers.properties': 'cn-beijing',
    });
    expect(loadConfig({ cwd, env: {} }).regions.map((region) => region.regionId)).toEqual(['cn-beijing']);
  });

  it('a file chosen by the environment variable wins over both', () => {
    const cwd = folder({ 'secretsmanager.properties': 'cn-shanghai', 'chosen.properties': 'cn-hongkong' });
    const env = { MANAGED_CREDENTIALS_CONFIG_FILE: 'chosen.properties' };
    expect(loadConfig({ cwd, env }).regions.map((region) => region.regionId)).toEqual(['cn-hongkong']);
  });

  it('with neither file, the error names our file', () => {
    const cwd = folder({});
    expect(() => loadConfig({ cwd, env: {} })).toThrow(
      expect.objectContaining({
        code: 'MC_CONFIG_NOT_FOUND',
        file: join(cwd, 'managed_credentials_providers.properties'),
      }),
    );
  });
});
