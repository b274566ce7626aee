import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { ManagedCredentialsProvider, type ProviderEventName, type ProviderOptions } from '../src/index.js';
import { FAST_RETRY, fakeCloudConfig } from './helpers/kms-fixtures.js';
import { ManualScheduler } from './helpers/manual-scheduler.js';

const ALL_EVENTS: ProviderEventName[] = [
  'refreshed',
  'refresh-failed',
  'rate-limited',
  'stale-served',
  'degraded',
  'call-retried',
  'closed',
];

let cloud: FakeCloud;
let dir: string;
/** Every secret value, password and key fragment the test hands to the plug-in. */
const secrets = new Set<string>();
/** Every text the plug-in produced: messages, stacks, events, inspect/JSON/toString output. */
const outputs: string[] = [];

/** Records every printable form of a value, following `cause` chains and aggregated errors. */
function capture(value: unknown, depth = 0): void {
  if (depth > 5 || value === undefined || value === null) return;
  outputs.push(inspect(value, { depth: 10, showHidden: true }), String(value));
  try {
    outputs.push(JSON.stringify(value) ?? '');
  } catch {
    outputs.push('<unserialisable>');
  }
  if (value instanceof Error) {
    outputs.push(value.message, value.stack ?? '');
    capture(value.cause, depth + 1);
    if (value instanceof AggregateError) for (const inner of value.errors) capture(inner, depth + 1);
  }
  if (typeof value === 'object') {
    for (const field of Object.values(value as Record<string, unknown>)) {
      if (field instanceof Error) capture(field, depth + 1);
    }
  }
}

function watched(options: ProviderOptions): ManagedCredentialsProvider {
  const provider = new ManagedCredentialsProvider({ retry: FAST_RETRY, random: () => 0, ...options });
  for (const event of ALL_EVENTS) provider.on(event, (payload) => capture(payload));
  capture(provider);
  return provider;
}

async function settle<T>(promise: Promise<T>): Promise<void> {
  try {
    capture(await promise);
  } catch (error) {
    capture(error);
  }
}

beforeAll(async () => {
  cloud = await startFakeCloud();
  dir = mkdtempSync(join(tmpdir(), 'mc-redaction-'));
});

afterAll(async () => {
  delete process.env['MC_REDACTION_CLIENT_KEY_PASSWORD'];
  rmSync(dir, { recursive: true, force: true });
  await cloud.close();
});

describe('no secret material in any output', () => {
  it('covers keys, errors and events of AccessKey, ClientKey and ECS role access, good and bad', async () => {
    const scheduler = new ManualScheduler();
    // AccessKey auth: a good secret, its rotation, refreshes, an outage, a missing and a malformed secret.
    const config = fakeCloudConfig(cloud);
    if (config.auth?.type === 'ak') secrets.add(config.auth.accessKeySecret);
    const good = cloud.createRamSecret('redact-good');
    secrets.add(good.accessKey?.accessKeySecret ?? 'unset');
    const malformedValue = 'MALFORMED-SECRET-VALUE-1234567890';
    secrets.add(malformedValue);
    cloud.createRamSecret('redact-malformed', {
      secretData: JSON.stringify({ AccessKeyId: 'AK-only', NotTheSecret: malformedValue }),
    });
    cloud.createRamSecret('redact-not-json', { secretData: `{${malformedValue}` });

    const provider = watched({ config, scheduler, clock: scheduler, degradedAfterMs: 0 });
    const key = await provider.getAccessKey('redact-good');
    capture(key);
    capture({ ...key });
    const rotated = cloud.rotate('redact-good', { revokeOld: 'now' });
    secrets.add(rotated.accessKey.accessKeySecret);
    await settle(
      provider.callWithAccessKey('redact-good', async (used) => {
        if (used.generation === 1)
          throw Object.assign(new Error('expired'), { code: 'InvalidAccessKeyId.NotFound' });
        return used;
      }),
    );
    cloud.faults.kms.setOutage(true);
    await settle(provider.refreshSecret('redact-good'));
    scheduler.advance(scheduler.nextDelayMs() ?? 0);
    await settle(provider.getAccessKey('redact-good'));
    cloud.faults.kms.setOutage(false);
    await settle(provider.getAccessKey('redact-missing'));
    await settle(provider.getAccessKey('redact-malformed'));
    await settle(provider.getAccessKey('redact-not-json'));
    for (let i = 0; i < 7; i += 1)
      await settle(provider.refreshSecret('redact-good', { rejectedGeneration: 2 }));
    await provider.close();

    // A wrong AccessKeySecret: KMS answers SignatureDoesNotMatch.
    const caller = cloud.createKmsAccessKey();
    const wrongSecret = `${caller.accessKeySecret}-wrong`;
    secrets.add(caller.accessKeySecret).add(wrongSecret);
    const wrong = watched({
      config: fakeCloudConfig(cloud, {
        auth: { type: 'ak', accessKeyId: caller.accessKeyId, accessKeySecret: wrongSecret },
      }),
    });
    await settle(wrong.getAccessKey('redact-good'));
    await wrong.close();

    // ClientKey auth loaded from a clientKey_*.json file with the password in an env var.
    const material = cloud.createClientKey();
    secrets.add(material.password).add(material.privateKeyData.slice(40, 120));
    for (const line of material.privateKeyPem
      .split('\n')
      .filter((l) => l.length === 64)
      .slice(0, 3))
      secrets.add(line);
    const keyFile = join(dir, `clientKey_${material.keyId}.json`);
    writeFileSync(keyFile, material.json);
    process.env['MC_REDACTION_CLIENT_KEY_PASSWORD'] = material.password;
    const clientKeyProvider = watched({
      config: {
        credentials_type: 'client_key',
        client_key_private_key_path: keyFile,
        client_key_password_from_env_variable: 'MC_REDACTION_CLIENT_KEY_PASSWORD',
        cache_client_region_id: JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: cloud.kms.endpoint }]),
      },
    });
    await settle(clientKeyProvider.getAccessKey('redact-good'));
    await settle(clientKeyProvider.getAccessKey('redact-missing'));
    await clientKeyProvider.close();

    // ECS RAM role: STS credentials from the metadata endpoint.
    const roleProvider = watched({
      config: fakeCloudConfig(cloud, {
        auth: { type: 'ecs_ram_role', metadataEndpoint: cloud.metadata.endpoint },
      }),
    });
    await settle(roleProvider.getAccessKey('redact-good'));
    secrets.add(cloud.metadata.currentCredentials()?.accessKeySecret ?? 'unset');
    await settle(roleProvider.getAccessKey('redact-missing'));
    await roleProvider.close();

    // The scenario really produced the outputs it claims to check.
    const all = outputs.join('\n');
    for (const expected of [
      'MC_SECRET_NOT_FOUND',
      'MC_SECRET_FORMAT_INVALID',
      'SignatureDoesNotMatch',
      'ECONNRESET',
    ]) {
      expect(all).toContain(expected);
    }
    expect(all).toContain('AccessKeySnapshot(redact-good#2');
    expect(all).toContain('"accessKeySecret":"<redacted>"');
    expect(secrets.size).toBeGreaterThanOrEqual(10);
    [...secrets].forEach((secret, index) => {
      expect(secret.length).toBeGreaterThan(8);
      expect(all.includes(secret), `secret #${index} appears in the output`).toBe(false);
    });
  });
});
