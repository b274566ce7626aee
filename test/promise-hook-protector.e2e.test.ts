/**
 * No promise tax (issue 14): the plug-in never installs a promise hook. On
 * Node 20 the first `run()` of any AsyncLocalStorage installs one, and V8 then
 * invalidates its `PromiseHook` protector for good: optimised `async`/`await`
 * code of the whole application stays slower even after the storage is
 * disabled again (the bench's promiseTax figure). A child `node
 * --trace-protector-invalidation` (test/fixtures/promise-hook-child.mjs, on the
 * BUILT packages) fetches from KMS — with a static AccessKey and with an ECS
 * RAM role (metadata service requests) — and calls ECS, OSS and pop-core
 * through the adapters; V8 must not report the invalidation. A control child
 * that enters an AsyncLocalStorage once shows that it would.
 */
import { fileURLToPath } from 'node:url';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from './support/child-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/promise-hook-child.mjs', import.meta.url));
const SECRET = 'protector-secret';
const INVALIDATED = 'Invalidating protector cell PromiseHook';

let cloud: FakeCloud;
let runs = 0;

beforeAll(async () => {
  cloud = await startFakeCloud();
  cloud.createRamSecret(SECRET);
}, 120_000);

afterAll(async () => {
  await cloud?.close();
});

async function runChild(mode: 'plug-in' | 'control', config: Record<string, string> = {}) {
  const child = await runNode(['--trace-protector-invalidation', FIXTURE, mode], {
    cwd: `${root}test`,
    deadlineMs: 60_000,
    env: {
      PATH: process.env['PATH'],
      E2E_SECRET_NAME: SECRET,
      E2E_BUCKET: `protector-${(runs += 1)}`,
      E2E_CONFIG: JSON.stringify(config),
      E2E_ECS_ENDPOINT: cloud.ecs.endpoint,
      E2E_OSS_ENDPOINT: cloud.oss.endpoint,
    },
  });
  expect(child.stderr).toBe('');
  expect(child.code).toBe(0);
  expect(child.stdout).toContain('done');
  return child.stdout;
}

describe('the plug-in installs no promise hook', () => {
  it('ak: KMS fetches and calls through the ECS, OSS and pop-core adapters leave the PromiseHook protector intact', async () => {
    const out = await runChild('plug-in', { ...cloud.pluginConfig() });
    expect(out).not.toContain(INVALIDATED);
  });

  it('ecs_ram_role: the metadata service requests made for KMS calls leave it intact too', async () => {
    const out = await runChild('plug-in', {
      credentials_type: 'ecs_ram_role',
      credentials_metadata_endpoint: cloud.metadata.endpoint,
      cache_client_region_id: JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: cloud.kms.endpoint }]),
    });
    expect(out).not.toContain(INVALIDATED);
  });

  it('control: one AsyncLocalStorage run() is reported', async () => {
    expect(await runChild('control')).toContain(INVALIDATED);
  });
});
