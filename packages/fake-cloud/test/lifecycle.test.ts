import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeCloud } from '../src/index.js';
import { callGetSecretValue, openApiKmsClient } from './helpers.js';

/** Listening servers and open sockets of this process. */
function networkHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap')
    .length;
}

describe('lifecycle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('close() releases every server and connection, and is idempotent', async () => {
    const before = networkHandles();
    const cloud = await startFakeCloud();
    cloud.createRamSecret('life');
    // A keep-alive connection stays open after the call; close() must drop it too.
    await callGetSecretValue(openApiKmsClient(cloud.kms.endpoint, cloud.createKmsAccessKey()), {
      SecretName: 'life',
    });
    expect(networkHandles()).toBeGreaterThan(before);
    await Promise.all([cloud.close(), cloud.close()]);
    await cloud.close();
    // The client side of the dropped connections closes once it reads the FIN.
    await vi.waitFor(() => expect(networkHandles()).toBe(before), { timeout: 5_000 });
    await expect(fetch(`${cloud.kms.endpoint}/`)).rejects.toThrow();
  });

  it('revokes the rotated-out key after the given delay, and close() cancels pending revocations', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const cloud = await startFakeCloud();
    const first = cloud.createRamSecret('delayed');
    cloud.rotate('delayed', { revokeOld: 60_000 });
    expect(cloud.accessKeyStatus(first.accessKey!.accessKeyId)).toBe('active');
    vi.advanceTimersByTime(60_000);
    expect(cloud.accessKeyStatus(first.accessKey!.accessKeyId)).toBe('revoked');

    const second = cloud.currentAccessKey('delayed')!;
    cloud.rotate('delayed', { revokeOld: 60_000 });
    await cloud.close();
    vi.advanceTimersByTime(60_000);
    expect(cloud.accessKeyStatus(second.accessKeyId)).toBe('active');
    expect(cloud.accessKeyStatus('LTAI5tUnknown')).toBe('unknown');
  });

  it('moves rotation dates and stages on rotate', async () => {
    const cloud = await startFakeCloud();
    try {
      const created = cloud.createRamSecret('dates', { rotationInterval: '3600s' });
      const rotated = cloud.rotate('dates');
      expect(rotated.view.versionStages).toEqual(['ACSCurrent']);
      expect(cloud.getSecret('dates', { versionId: created.versionId })?.versionStages).toEqual([
        'ACSPrevious',
      ]);
      expect(rotated.view.lastRotationDate).toMatch(/Z$/);
      const next = Date.parse(rotated.view.nextRotationDate!);
      expect(next - Date.parse(rotated.view.lastRotationDate!)).toBe(3_600_000);
      const third = cloud.rotate('dates');
      // Only the latest two versions keep a stage; older ones stay readable by VersionId.
      expect(cloud.getSecret('dates', { versionId: created.versionId })?.versionStages).toEqual([]);
      expect(cloud.getSecret('dates', { versionStage: 'ACSPrevious' })?.versionId).toBe(rotated.versionId);
      expect(third.previousAccessKeyId).toBe(rotated.accessKey.accessKeyId);
    } finally {
      await cloud.close();
    }
  });

  it('never shows an AccessKeySecret in inspect or JSON output of what it returns', async () => {
    const { inspect } = await import('node:util');
    const cloud = await startFakeCloud();
    try {
      const secret = cloud.createRamSecret('redacted');
      const caller = cloud.createKmsAccessKey();
      const shown = [
        inspect(secret.accessKey),
        JSON.stringify(secret.accessKey),
        inspect(caller),
        String(caller),
      ].join('\n');
      expect(shown).toContain(caller.accessKeyId);
      expect(shown).not.toContain(caller.accessKeySecret);
      expect(shown).not.toContain(secret.accessKey!.accessKeySecret);
    } finally {
      await cloud.close();
    }
  });
});
