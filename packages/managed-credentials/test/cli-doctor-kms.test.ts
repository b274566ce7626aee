/**
 * `managed-credentials doctor` as a real CLI (issue 12): it authenticates to
 * KMS even when no secret is named (a GetSecretValue of a probe secret: "not
 * found" proves the credentials, a refused signature disproves them), prints
 * `--json` with a stable schema and `--version`, writes failures to stderr
 * and masks every AccessKey id it prints, KMS messages included. Against the
 * fake cloud's KMS over HTTP, in-process through `runCli`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { runCli } from '../src/cli/run-cli.js';
import { PROBE_SECRET_NAME } from '../src/cli/kms-probe.js';
import type { DoctorReport } from '../src/cli/doctor-report.js';
import { TempDir } from './helpers/config-fixtures.js';

let cloud: FakeCloud;
let dir: TempDir;
let caller: { accessKeyId: string; accessKeySecret: string };
const SECRET_NAME = 'doctor-kms-secret';

beforeAll(async () => {
  cloud = await startFakeCloud();
  dir = new TempDir();
  const key = cloud.createKmsAccessKey();
  caller = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
  cloud.createRamSecret(SECRET_NAME);
});

afterAll(async () => {
  await cloud?.close();
  dir?.remove();
});

async function doctor(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
    cwd: dir.path,
    version: '0.1.0-test',
  });
  return { code, stdout, stderr };
}

function configFile(name: string, kmsKey: { accessKeyId: string; accessKeySecret: string } = caller): string {
  return dir.writeProperties(name, { ...cloud.pluginConfig({ kmsKey }) });
}

function expectMasked(text: string, accessKeyId: string, secret: string): void {
  expect(text).not.toContain(accessKeyId);
  expect(text).not.toContain(secret);
}

describe('doctor without a secret name probes KMS', () => {
  it('good credentials: KMS answers "not found" for the probe secret, which proves them; exit 0', async () => {
    const probes = () => cloud.counters.count({ service: 'kms', secretName: PROBE_SECRET_NAME });
    const before = probes();
    const outcome = await doctor(['doctor', '--config', configFile('good.properties')]);

    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0);
    expect(probes() - before).toBe(1);
    expect(outcome.stdout).toContain(
      `KMS authentication (GetSecretValue of the probe secret ${PROBE_SECRET_NAME})`,
    );
    expect(outcome.stdout).toMatch(/ok {3}KMS verified the signature .*does not exist.*the credentials work/);
    expect(outcome.stdout).toContain('Result: OK');
    expect(outcome.stderr).toBe('');
    expectMasked(outcome.stdout, caller.accessKeyId, caller.accessKeySecret);
  });

  it('a wrong AccessKeySecret: KMS refuses the signature, exit 1, the failure on stderr with every key id masked', async () => {
    const wrong = { accessKeyId: caller.accessKeyId, accessKeySecret: 'wrong-secret-0123456789abcdef' };
    const outcome = await doctor(['doctor', '--config', configFile('wrong-secret.properties', wrong)]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /FAIL KMS rejected the credentials \((SignatureDoesNotMatch|InvalidAccessKeyId[.\w]*)\)/,
    );
    expect(outcome.stdout).toContain('Result: KMS authentication failed (exit 1).');
    expect(outcome.stdout).not.toContain('FAIL');
    const all = outcome.stdout + outcome.stderr;
    expectMasked(all, caller.accessKeyId, wrong.accessKeySecret);
    expect(all).toContain(`${caller.accessKeyId.slice(0, 4)}****${caller.accessKeyId.slice(-4)}`);
  });

  it('an AccessKey KMS does not know: exit 1, named as rejected credentials', async () => {
    const unknown = { accessKeyId: 'LTAI5tUnknownCallerKey00', accessKeySecret: 'whatever-0123456789abcdef' };
    const outcome = await doctor(['doctor', '--config', configFile('unknown.properties', unknown)]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/FAIL KMS rejected the credentials \(InvalidAccessKeyId/);
    expectMasked(outcome.stdout + outcome.stderr, unknown.accessKeyId, unknown.accessKeySecret);
  });

  it('KMS unreachable: exit 1, says so', async () => {
    const file = dir.writeProperties('unreachable.properties', {
      ...cloud.pluginConfig({ kmsKey: caller }),
      cache_client_region_id: JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9' }]),
    });
    const outcome = await doctor(['doctor', '--config', file, '--timeout', '2000']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('FAIL KMS could not be reached');
  });
});

describe('doctor --json', () => {
  it('prints one object of schema managed-credentials-doctor/1 on stdout, redacted', async () => {
    const outcome = await doctor(['doctor', '--json', '--config', configFile('json.properties')]);
    const report = JSON.parse(outcome.stdout) as DoctorReport;

    expect(outcome.code).toBe(0);
    expect(report).toMatchObject({
      schema: 'managed-credentials-doctor/1',
      version: '0.1.0-test',
      ok: true,
      exitCode: 0,
      configuration: { valid: true, found: true, chosenBy: 'option', unknownKeys: [] },
      kms: { status: 'authenticated', method: 'probe', probeSecretName: PROBE_SECRET_NAME },
      secrets: [],
      warnings: [],
    });
    expect(report.configuration.keys).toContainEqual({
      key: 'credentials_access_secret',
      value: '<redacted>',
      origin: 'file',
    });
    expectMasked(outcome.stdout, caller.accessKeyId, caller.accessKeySecret);
  });

  it('reports each named secret with its masked key id, version and next refresh', async () => {
    const outcome = await doctor([
      'doctor',
      '--json',
      '--config',
      configFile('json2.properties'),
      '--secret',
      SECRET_NAME,
    ]);
    const report = JSON.parse(outcome.stdout) as DoctorReport;
    const current = cloud.currentAccessKey(SECRET_NAME)!;

    expect(outcome.code).toBe(0);
    expect(report.kms).toMatchObject({ status: 'authenticated', method: 'secrets' });
    expect(report.secrets).toEqual([
      expect.objectContaining({
        name: SECRET_NAME,
        ok: true,
        accessKeyId: `LTAI****${current.accessKeyId.slice(-4)}`,
        versionId: cloud.getSecret(SECRET_NAME)?.versionId,
        nextRefreshAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
    expectMasked(outcome.stdout, current.accessKeyId, current.accessKeySecret);
  });

  it('an invalid configuration: ok false, the typed error, exit 1 and a line on stderr', async () => {
    const file = dir.writeProperties('bad.properties', { credentials_type: 'ak' });
    const outcome = await doctor(['doctor', '--json', '--config', file]);
    const report = JSON.parse(outcome.stdout) as DoctorReport;

    expect(outcome.code).toBe(1);
    expect(report).toMatchObject({ ok: false, exitCode: 1, kms: { status: 'not-checked' } });
    expect(report.configuration.valid).toBe(false);
    expect(report.configuration.error?.code).toMatch(/^MC_CONFIG_/);
    expect(outcome.stderr).toContain('a check failed');
  });
});

describe('managed-credentials --version', () => {
  it('prints the package version and exits 0', async () => {
    const outcome = await doctor(['--version']);
    expect(outcome).toEqual({ code: 0, stdout: 'managed-credentials 0.1.0-test\n', stderr: '' });
  });
});
