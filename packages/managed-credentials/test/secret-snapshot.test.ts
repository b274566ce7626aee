/**
 * Issue 16: what a cache entry holds after a fetch (pure functions, no KMS):
 * the secret of any type, its generation, and the AccessKey derived from it
 * for AccessKey readers only.
 */
import { describe, expect, it } from 'vitest';
import { accessKeyOf, nextSecretSnapshot } from '../src/cache/secret-snapshot.js';
import { AccessKeySnapshot, SecretFormatError, SecretValueInfo, type SecretInfo } from '../src/index.js';

const ram = (versionId: string, id: string, extra: Record<string, unknown> = {}): SecretInfo => ({
  secretName: 's',
  secretData: JSON.stringify({ AccessKeyId: id, AccessKeySecret: `secret-of-${id}`, ...extra }),
  secretDataType: 'text',
  versionId,
  versionStages: ['ACSCurrent'],
  secretType: 'RamCredentials',
});
const text = (versionId: string, value: string, secretDataType = 'text'): SecretInfo => ({
  secretName: 's',
  secretData: value,
  secretDataType,
  versionId,
  versionStages: ['ACSCurrent'],
  secretType: 'Generic',
});

describe('nextSecretSnapshot', () => {
  it('derives the AccessKey of a RAM value, with the secret generation and the value hints', () => {
    const { snapshot, changed, hints } = nextSecretSnapshot(
      undefined,
      's',
      ram('v1', 'AK1', { RefreshInterval: 3600 }),
      1_000,
    );
    expect(changed).toBe(true);
    expect(snapshot.generation).toBe(1);
    expect(accessKeyOf(snapshot)).toBeInstanceOf(AccessKeySnapshot);
    expect(accessKeyOf(snapshot)).toMatchObject({
      accessKeyId: 'AK1',
      generation: 1,
      versionId: 'v1',
      fetchedAt: 1_000,
    });
    expect(hints).toMatchObject({ refreshIntervalMs: 3_600_000 });
    expect(snapshot.info).toBeInstanceOf(SecretValueInfo);
  });

  it('goes up one generation for another version or value, none for a re-read', () => {
    const first = nextSecretSnapshot(undefined, 's', text('v1', 'one'), 0).snapshot;
    const reread = nextSecretSnapshot(first, 's', text('v1', 'one'), 1);
    expect([reread.changed, reread.snapshot.generation]).toEqual([false, 1]);
    const newValue = nextSecretSnapshot(first, 's', text('v1', 'two'), 2);
    expect([newValue.changed, newValue.snapshot.generation]).toEqual([true, 2]);
    const newVersion = nextSecretSnapshot(newValue.snapshot, 's', text('v2', 'two'), 3);
    expect([newVersion.changed, newVersion.snapshot.generation]).toEqual([true, 3]);
    const rotatedKey = nextSecretSnapshot(undefined, 's', ram('v1', 'AK1'), 0).snapshot;
    const nextKey = nextSecretSnapshot(rotatedKey, 's', ram('v2', 'AK2'), 1).snapshot;
    expect(accessKeyOf(nextKey)).toMatchObject({ accessKeyId: 'AK2', generation: 2 });
  });

  it('keeps a SecretFormatError naming the secret for values that are no key pair, text or binary', () => {
    for (const info of [
      text('v1', 'Pw-not-json-4242'),
      text('v1', '{"AccountPassword":"Pw-json-4242"}'),
      text('v1', Buffer.from('Pw-binary-4242').toString('base64'), 'binary'),
    ]) {
      const { snapshot, hints } = nextSecretSnapshot(undefined, 'db', info, 0);
      expect(hints).toEqual({});
      expect(snapshot.accessKey).toBeInstanceOf(SecretFormatError);
      expect(() => accessKeyOf(snapshot)).toThrow(SecretFormatError);
      const error = snapshot.accessKey as SecretFormatError;
      expect(error).toMatchObject({ code: 'MC_SECRET_FORMAT_INVALID', secretName: 'db' });
      expect(error.message).toContain('"db"');
      expect(error.message).not.toContain('Pw-');
    }
  });
});

describe('SecretValueInfo', () => {
  it('copies and deeply freezes the extended config, and normalises the data type', () => {
    const extendedConfig = { SecretSubType: 'SingleUser', CustomData: { team: 'a' } };
    const info = new SecretValueInfo({ ...text('v1', 'x', 'BINARY'), extendedConfig });
    extendedConfig.CustomData.team = 'b';
    expect(info.extendedConfig).toEqual({ SecretSubType: 'SingleUser', CustomData: { team: 'a' } });
    expect(Object.isFrozen(info.extendedConfig?.['CustomData'])).toBe(true);
    expect(info.secretDataType).toBe('binary');
    expect(Object.isFrozen(info.versionStages)).toBe(true);
  });

  it('differsFrom compares version, data type and value', () => {
    const base = new SecretValueInfo(text('v1', 'one'));
    expect(base.differsFrom(new SecretValueInfo(text('v1', 'one')))).toBe(false);
    expect(base.differsFrom(new SecretValueInfo(text('v2', 'one')))).toBe(true);
    expect(base.differsFrom(new SecretValueInfo(text('v1', 'two')))).toBe(true);
    expect(base.differsFrom(new SecretValueInfo(text('v1', 'one', 'binary')))).toBe(true);
  });
});
