/**
 * A program that uses the plug-in exits by itself (SPEC §5, §7): its refresh
 * timers are unref()ed and idle keep-alive sockets do not hold the event loop,
 * whether or not it calls close() — and closing twice is harmless. Each case
 * spawns plain `node` on test/fixtures/exit-child.mjs, which imports the BUILT
 * packages; the fake cloud runs here, in the parent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFakeCloud, toProperties, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINGER_MS, runNode } from './support/child-process.js';
import { hostOf, TempDir } from './support/e2e.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/exit-child.mjs', import.meta.url));
const BUILT = ['managed-credentials', 'tea-openapi', 'oss'].map(
  (pkg) => `${root}packages/${pkg}/dist/index.cjs`,
);
const SECRET = 'exit-secret';

/**
 * A child that does not exit is killed after this long and the test fails.
 * Generous because loading @alicloud/ecs20140526 alone takes seconds on a busy
 * machine. Lingering is measured on its own: from the child's last line to its
 * exit, at most MAX_LINGER_MS.
 */
const EXIT_DEADLINE_MS = 25_000;

interface ChildRun {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  /** KMS requests this run made (all of them GetSecretValue of SECRET). */
  kmsFetches: number;
  /** Date.now() when the child exited. */
  exitedAt: number;
}

let cloud: FakeCloud;
const dir = new TempDir();

beforeAll(async () => {
  for (const file of BUILT)
    if (!existsSync(file))
      throw new Error(
        `${file} is missing (vitest's globalSetup, build/vitest-ensure-built.mjs, builds it; or run pnpm build)`,
      );
  cloud = await startFakeCloud();
  cloud.createRamSecret(SECRET);
}, 120_000);

afterAll(async () => {
  await cloud?.close();
  dir.remove();
});

/**
 * Runs the fixture in `mode` with a KMS caller key of its own (so this run's
 * KMS requests can be told apart); resolves when it exits or was killed.
 */
async function runChild(mode: string): Promise<ChildRun> {
  const kmsCaller = cloud.createKmsAccessKey();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    E2E_SECRET_NAME: SECRET,
    E2E_KMS_ENDPOINT: cloud.kms.endpoint,
    E2E_KMS_KEY_ID: kmsCaller.accessKeyId,
    E2E_KMS_KEY_SECRET: kmsCaller.accessKeySecret,
    E2E_ECS_HOST: hostOf(cloud.ecs.endpoint),
    E2E_OSS_ENDPOINT: cloud.oss.endpoint,
    MANAGED_CREDENTIALS_CONFIG_FILE: dir.write(
      `${mode}.properties`,
      toProperties(cloud.pluginConfig({ kmsKey: kmsCaller })),
    ),
  };
  // cwd: an empty folder, so no managed_credentials_providers.properties is picked up by accident.
  const run = await runNode([FIXTURE, mode], { cwd: dir.path, env, deadlineMs: EXIT_DEADLINE_MS });
  const kmsFetches = cloud.counters
    .list()
    .filter((record) => record.service === 'kms' && record.accessKeyId === kmsCaller.accessKeyId).length;
  return { ...run, kmsFetches };
}

function expectCleanExit(run: ChildRun, mode: string): Record<string, unknown> {
  const output = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
  expect(run.killed, `the child did not exit by itself\n${output}`).toBe(false);
  expect(run.code, output).toBe(0);
  expect(run.stderr).toBe('');
  // Both clients shared one cache entry: one KMS fetch for the whole program.
  expect(run.kmsFetches).toBe(1);
  const report = JSON.parse(run.stdout.trim()) as Record<string, unknown>;
  expect(
    run.exitedAt - Number(report['lastCallAt']),
    `the child lingered after its last call\n${output}`,
  ).toBeLessThan(MAX_LINGER_MS);
  expect(report).toMatchObject({
    mode,
    ecsStatus: 200,
    instances: 1,
    objects: ['exit.txt'],
  });
  return report;
}

describe('a program using the plug-in exits on its own', () => {
  it.concurrent(
    'without calling close()',
    async () => {
      const report = expectCleanExit(await runChild('no-close'), 'no-close');
      expect(report['providerClosed']).toBe(false);
    },
    2 * EXIT_DEADLINE_MS + 10_000, // a case may queue for a child slot (runNode)
  );

  it.concurrent(
    'after calling close() twice on each client and on the provider, without an error',
    async () => {
      const report = expectCleanExit(await runChild('close-twice'), 'close-twice');
      expect(report['providerClosed']).toBe(true);
    },
    2 * EXIT_DEADLINE_MS + 10_000, // a case may queue for a child slot (runNode)
  );

  it.concurrent(
    'with the default provider (properties file from MANAGED_CREDENTIALS_CONFIG_FILE), never closed',
    async () => {
      const report = expectCleanExit(await runChild('default-provider'), 'default-provider');
      expect(report['providerClosed']).toBeNull();
    },
    2 * EXIT_DEADLINE_MS + 10_000, // a case may queue for a child slot (runNode)
  );
});
