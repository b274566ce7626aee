/**
 * The plug-in's KMS calls go through the SDK family of the application's
 * tea-openapi client (issue 14, time to first call): `createClient` offers
 * the client's `@alicloud/openapi-core` `Client` before the first fetch, so an
 * ECS application's first call loads neither `@alicloud/openapi-client` nor
 * the helpers only it needs (`openapi-util`, `tea-util`, `tea-xml`). A child
 * `node` (test/fixtures/sdk-family-child.mjs, on the BUILT packages) records
 * the modules loaded after the ECS SDK. The control — the core alone, without
 * a tea-openapi client, loads `@alicloud/openapi-client` on its first fetch —
 * is packages/managed-credentials/test/lazy-modules.test.ts; the KMS suites
 * through `@alicloud/openapi-core` are packages/managed-credentials/test/kms-openapi-core.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from './support/child-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/sdk-family-child.mjs', import.meta.url));
const SECRET = 'sdk-family-secret';

let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await startFakeCloud();
  cloud.createRamSecret(SECRET);
}, 120_000);

afterAll(async () => {
  await cloud?.close();
});

describe('an ECS application on @alicloud/openapi-core', () => {
  it("makes its first call, the plug-in's first KMS fetch included, without loading @alicloud/openapi-client", async () => {
    const child = await runNode([FIXTURE], {
      cwd: `${root}test`,
      deadlineMs: 60_000,
      env: {
        PATH: process.env['PATH'],
        E2E_SECRET_NAME: SECRET,
        E2E_CONFIG: JSON.stringify({ ...cloud.pluginConfig() }),
        E2E_ECS_ENDPOINT: cloud.ecs.endpoint,
      },
    });
    expect(child.stderr).toBe('');
    const report = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
      statusCode: number;
      modules: string[];
    };
    expect(report.statusCode).toBe(200);
    const loaded = (name: string): boolean =>
      report.modules.some((m) => m.includes(`/node_modules/${name}/`));
    // The recording sees what the plug-in loads at all.
    expect(report.modules.some((m) => m.includes('/packages/managed-credentials/dist/'))).toBe(true);
    expect(loaded('@alicloud/openapi-client')).toBe(false);
    expect(loaded('@alicloud/openapi-util')).toBe(false);
    expect(loaded('@alicloud/tea-xml')).toBe(false);
  });
});
