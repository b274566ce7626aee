/**
 * SPEC §1: the package works when `require`d from CommonJS and imported from
 * ESM. Spawns `node` on fixtures that load the BUILT package (dist), which
 * vitest's globalSetup builds before any test file runs.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { hostOf } from './sdk-clients.js';

const run = promisify(execFile);
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const builtEntry = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));

let cloud: FakeCloud;
let fixtureInput: string;

beforeAll(async () => {
  if (!existsSync(builtEntry))
    throw new Error(
      `${builtEntry} is missing (vitest's globalSetup, build/vitest-ensure-built.mjs, builds it; or run pnpm build)`,
    );

  cloud = await startFakeCloud();
  const secretName = 'module-format-secret';
  cloud.createRamSecret(secretName);
  fixtureInput = JSON.stringify({
    secretName,
    ecsHost: hostOf(cloud.ecs.endpoint),
    // Copied into a plain object: the config's own toJSON would write its AccessKeySecret as '****'.
    providerConfig: { ...cloud.pluginConfig() },
  });
}, 60_000);

afterAll(async () => {
  await cloud?.close();
});

async function runFixture(file: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [`${fixtures}${file}`], {
    cwd: fixtures,
    env: { ...process.env, FIXTURE_INPUT: fixtureInput },
  }).catch((error: { stderr?: string }) => {
    throw new Error(`node ${file} failed:\n${error.stderr ?? String(error)}`);
  });
  return JSON.parse(stdout);
}

describe('loading the built package', () => {
  it('works when required from CommonJS', async () => {
    await expect(runFixture('require-from-cjs.cjs')).resolves.toEqual({
      loader: 'require',
      instanceOfClient: true,
      instanceId: 'i-bp1fakecloud00000001',
    });
  });

  it('works when imported from ESM', async () => {
    await expect(runFixture('import-from-esm.mjs')).resolves.toEqual({
      loader: 'import',
      instanceOfClient: true,
      instanceId: 'i-bp1fakecloud00000001',
    });
  });

  it('runs the SPEC §1 example verbatim under Node ESM, where the default import is the module object', async () => {
    await expect(runFixture('spec-example.mjs')).resolves.toEqual({
      loader: 'import',
      defaultImportIsModule: true,
      instanceOfClient: true,
      instanceId: 'i-bp1fakecloud00000001',
    });
  });
});
