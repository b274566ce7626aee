/**
 * SPEC §1: the package works when imported from ESM and `require`d from
 * CommonJS. Each fixture runs in its own Node process, loads the package by
 * its name (whatever its build emits) and makes one RPC and one ROA call.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeCloud } from 'managed-credentials-fake-cloud';
import { startCloud } from './support/pop-world.js';

const run = promisify(execFile);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const built = (pkg: string): boolean =>
  existsSync(fileURLToPath(new URL(`../../${pkg}/dist/index.cjs`, import.meta.url)));

let cloud: FakeCloud;
let smokeEnv: string;

beforeAll(async () => {
  if (!built('pop-core') || !built('managed-credentials'))
    throw new Error(
      `dist/ is missing (vitest's globalSetup, build/vitest-ensure-built.mjs, builds it; or run pnpm build)`,
    );
  cloud = await startCloud();
  cloud.createRamSecret('smoke-secret');
  smokeEnv = JSON.stringify({
    // Copied into a plain object: the config's own toJSON would write its AccessKeySecret as '****'.
    config: { ...cloud.pluginConfig() },
    ecsEndpoint: cloud.ecs.endpoint,
    csEndpoint: cloud.cs.endpoint,
    secretName: 'smoke-secret',
  });
}, 120_000);

afterAll(async () => {
  await cloud?.close();
});

describe('the built package loads from both module systems', () => {
  it.each(['smoke.mjs', 'smoke.cjs'])(
    '%s: import/require by name, one RPC and one ROA call',
    async (file) => {
      const kmsFetches = (): number =>
        cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName: 'smoke-secret' });
      const fetchesBefore = kmsFetches();
      const { stdout } = await run(process.execPath, [fixture(file)], {
        env: { ...process.env, POP_CORE_SMOKE: smokeEnv },
        timeout: 20_000,
      });
      expect(JSON.parse(stdout)).toEqual({
        instanceOfRPCClient: true,
        instanceOfROAClient: true,
        requestId: 'string',
        clusters: 2,
      });
      // A fresh process and provider: the first call fetched the key once, for both clients.
      expect(kmsFetches()).toBe(fetchesBefore + 1);
    },
  );
});
