/**
 * No call is ever lost (SPEC §5, liveness): a short-lived program whose FIRST
 * call — an ECS call, or `ready()` — meets a misbehaving KMS settles it (ok, or
 * a typed error with a string `code`) and exits with the code it chose, under
 * ESM top-level await and under CommonJS alike. A background prefetch nobody
 * waits for does not keep a finished program alive, even while KMS hangs.
 *
 * Each case runs test/fixtures/first-call.{mjs,cjs} in its own `node` process,
 * importing the packages by name, against its own fake cloud (here, in the
 * parent) so that queued faults are not shared between cases.
 */
import { fileURLToPath } from 'node:url';
import {
  generateTlsMaterial,
  startFakeCloud,
  type FakeCloud,
  type TlsMaterial,
} from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJsonLine, MAX_LINGER_MS, runNode, type ChildExit } from './support/child-process.js';
import { hostOf, TempDir } from './support/e2e.js';

const fixture = (ext: string) => fileURLToPath(new URL(`./fixtures/first-call.${ext}`, import.meta.url));
const SECRET = 'first-call-secret';
/** Loading @alicloud/ecs20140526 alone takes seconds on a busy machine; a lost call would hang for minutes. */
const DEADLINE_MS = 60_000;
/** Cases queue for a child slot (see runNode): the test's timeout covers the wait. */
const TEST_TIMEOUT_MS = 240_000;

/** One KMS misbehaviour, injected before the child starts. */
const FAULTS: Record<string, (cloud: FakeCloud) => void> = {
  'hangs once': (cloud) => cloud.faults.kms.failNext(1, 'hang'),
  'answers one 503': (cloud) => cloud.faults.kms.failNext(1, 'unavailable'),
  'answers one Rejected.Throttling': (cloud) =>
    cloud.faults.kms.failNext(1, 'throttling', { code: 'Rejected.Throttling' }),
  'resets one connection': (cloud) => cloud.faults.kms.failNext(1, 'reset'),
  'answers one HTML 500': (cloud) => cloud.faults.kms.failNext(1, 'html-error'),
  'answers one 5 MB body': (cloud) => cloud.faults.kms.failNext(1, 'big-body', { bytes: 5 * 1024 * 1024 }),
  'hangs for good': (cloud) => cloud.faults.kms.setLatency(600_000),
};
/** Faults after which the fetch's own retry succeeds: the call must then succeed too. */
const TRANSIENT = new Set([
  'hangs once',
  'answers one 503',
  'answers one Rejected.Throttling',
  'resets one connection',
  'answers one HTML 500',
]);

let tls: TlsMaterial;
const dir = new TempDir();

// The children load the built packages by name: vitest's globalSetup (build/vitest-ensure-built.mjs) builds them.
beforeAll(() => {
  tls = generateTlsMaterial();
}, 120_000);

afterAll(() => dir.remove());

/** Runs the fixture against a fresh fake cloud with `fault` injected. */
async function runCase(
  ext: 'mjs' | 'cjs',
  operation: string,
  fault: (cloud: FakeCloud) => void,
): Promise<ChildExit> {
  const cloud = await startFakeCloud({ tls });
  try {
    cloud.createRamSecret(SECRET);
    const kmsCaller = cloud.createKmsAccessKey();
    fault(cloud);
    return await runNode([fixture(ext), operation], {
      // An empty folder: no managed_credentials_providers.properties is picked up by accident.
      cwd: dir.path,
      deadlineMs: DEADLINE_MS,
      env: {
        ...process.env,
        E2E_SECRET_NAME: SECRET,
        E2E_KMS_ENDPOINT: cloud.kms.endpoint,
        E2E_KMS_KEY_ID: kmsCaller.accessKeyId,
        E2E_KMS_KEY_SECRET: kmsCaller.accessKeySecret,
        E2E_ECS_HOST: hostOf(cloud.ecs.endpoint),
        E2E_OSS_ENDPOINT: cloud.oss.endpoint,
      },
    });
  } finally {
    await cloud.close();
  }
}

/** The child printed one settled outcome, exited with the code it chose for it, and did not linger. */
function expectSettled(run: ChildExit): string {
  const output = `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
  expect(run.killed, `the child did not exit by itself\n${output}`).toBe(false);
  expect(run.stdout.trim(), `the call never settled\n${output}`).not.toBe('');
  const report = lastJsonLine(run.stdout);
  const outcome = String(report['outcome']);
  expect(outcome, output).toMatch(/^(ok|done|MC_[A-Z_]+)$/);
  expect(run.code, output).toBe(outcome === 'ok' || outcome === 'done' ? 0 : 3);
  expect(
    run.exitedAt - Number(report['at']),
    `the child lingered after its last line\n${output}`,
  ).toBeLessThan(MAX_LINGER_MS);
  return outcome;
}

describe.each(['mjs', 'cjs'] as const)('a first call while KMS misbehaves settles (%s)', (ext) => {
  describe.each(['call', 'ready'])('%s', (operation) => {
    it.concurrent.each(Object.keys(FAULTS))(
      'when KMS %s',
      async (faultName) => {
        const outcome = expectSettled(await runCase(ext, operation, FAULTS[faultName]!));
        if (TRANSIENT.has(faultName)) expect(outcome).toBe('ok');
        if (faultName === 'hangs for good') expect(outcome).toMatch(/^MC_(TIMEOUT|SECRET_FETCH_FAILED)$/);
        // Abandoned unread and not retried: a 5 MB answer is no GetSecretValue answer (issue 10, item 3).
        if (faultName === 'answers one 5 MB body') expect(outcome).toBe('MC_KMS_ANSWER_TOO_LARGE');
      },
      TEST_TIMEOUT_MS,
    );
  });
});

describe('a background prefetch nobody waits for', () => {
  it.concurrent.each(['mjs', 'cjs'] as const)(
    'does not keep a finished program alive while KMS hangs (%s)',
    async (ext) => {
      const outcome = expectSettled(await runCase(ext, 'prefetch-only', FAULTS['hangs for good']!));
      expect(outcome).toBe('done');
    },
    TEST_TIMEOUT_MS,
  );
});
