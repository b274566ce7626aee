/**
 * `managed-credentials doctor` (issue 6): run in-process through `runCli`
 * with injected stdout/stderr/env, against the fake cloud's KMS over HTTP.
 * Whatever happens, the output never contains an AccessKeySecret, a ClientKey
 * password or a private key.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { runCli } from '../src/cli/run-cli.js';
import { TempDir } from './helpers/config-fixtures.js';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for "never contains" checks. */
  all: string;
}

let cloud: FakeCloud;
let dir: TempDir;
let kmsCaller: { accessKeyId: string; accessKeySecret: string };
/** Every value that must never be printed. */
const secrets: string[] = [];
const SECRET_NAME = 'doctor-secret';

beforeAll(async () => {
  cloud = await startFakeCloud();
  dir = new TempDir();
  const caller = cloud.createKmsAccessKey();
  kmsCaller = { accessKeyId: caller.accessKeyId, accessKeySecret: caller.accessKeySecret };
  const secret = cloud.createRamSecret(SECRET_NAME);
  secrets.push(kmsCaller.accessKeySecret, secret.accessKey?.accessKeySecret ?? 'unreachable');
});

afterAll(async () => {
  await cloud?.close();
  dir?.remove();
});

async function doctor(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    cwd: dir.path,
  });
  return { code, stdout, stderr, all: stdout + stderr };
}

function regionJson(): string {
  return JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: cloud.kms.endpoint }]);
}

function akConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { ...cloud.pluginConfig({ kmsKey: kmsCaller, secretNames: [SECRET_NAME] }), ...extra };
}

function expectNoSecret(outcome: Outcome, extra: string[] = []): void {
  for (const secret of [...secrets, ...extra]) expect(outcome.all).not.toContain(secret);
}

describe('doctor with a good configuration', () => {
  it('lists each key with its origin, fetches the secret and exits 0 without printing a secret', async () => {
    const file = dir.writeProperties('good.properties', akConfig());
    const outcome = await doctor(['doctor', '--config', file]);

    expect(outcome.code, outcome.all).toBe(0);
    expect(outcome.stdout).toMatch(/credentials_type\s+ak\s+\(file\)/);
    expect(outcome.stdout).toMatch(/credentials_access_secret\s+<redacted>\s+\(file\)/);
    expect(outcome.stdout).toContain(`credentials_access_key_id  ${kmsCaller.accessKeyId.slice(0, 4)}****`);
    expect(outcome.stdout).not.toContain(kmsCaller.accessKeyId);
    const current = cloud.currentAccessKey(SECRET_NAME);
    const version = cloud.getSecret(SECRET_NAME)?.versionId ?? 'unreachable';
    expect(outcome.stdout).toContain(
      `ok   ${SECRET_NAME}: key LTAI****${current?.accessKeyId.slice(-4)}, version ${version}`,
    );
    expect(outcome.stdout).not.toContain(current?.accessKeyId);
    expect(outcome.stdout).toMatch(/next scheduled refresh \d{4}-\d\d-\d\dT.*just after the next rotation/);
    expect(outcome.stdout).toContain('Result: OK');
    expectNoSecret(outcome);
  });

  it('reports keys set by environment variables as env, which override the file', async () => {
    const { credentials_access_secret: secret, cache_client_region_id: _region, ...rest } = akConfig();
    const file = dir.writeProperties('partial.properties', {
      ...rest,
      cache_client_region_id: '[{"regionId":"wrong"}]',
    });
    const outcome = await doctor(['doctor', '--config', file], {
      credentials_access_secret: secret,
      cache_client_region_id: regionJson(),
    });

    expect(outcome.code, outcome.all).toBe(0);
    expect(outcome.stdout).toMatch(/credentials_access_secret\s+<redacted>\s+\(env\)/);
    expect(outcome.stdout).toMatch(/cache_client_region_id\s+\S+127\.0\.0\.1\S+\s+\(env\)/);
    expect(outcome.stdout).toMatch(/credentials_type\s+ak\s+\(file\)/);
    expectNoSecret(outcome);
  });

  it('finds the file named by MANAGED_CREDENTIALS_CONFIG_FILE and fetches the --secret names given', async () => {
    const other = 'doctor-other-secret';
    cloud.createRamSecret(other);
    const file = dir.writeProperties('by-env.properties', akConfig({ secret_names: '' }));
    const outcome = await doctor(['doctor', '--secret', other, '--secret', SECRET_NAME], {
      MANAGED_CREDENTIALS_CONFIG_FILE: file,
    });

    expect(outcome.code, outcome.all).toBe(0);
    expect(outcome.stdout).toContain('MANAGED_CREDENTIALS_CONFIG_FILE; found');
    expect(outcome.stdout).toContain(`ok   ${other}:`);
    expect(outcome.stdout).toContain(`ok   ${SECRET_NAME}:`);
    expectNoSecret(outcome);
  });

  it('checks a secret of another type (a database password) without printing its value', async () => {
    const rds = cloud.createRdsSecret('doctor-db-secret');
    const password = (JSON.parse(rds.secretData) as { AccountPassword: string }).AccountPassword;
    const file = dir.writeProperties('db.properties', akConfig({ secret_names: 'doctor-db-secret' }));
    const outcome = await doctor(['doctor', '--config', file]);

    expect(outcome.code, outcome.all).toBe(0);
    expect(outcome.stdout).toMatch(
      /ok {3}doctor-db-secret: Rds value of \d+ characters \(text; not an AccessKey\), version \S+/,
    );
    expect(outcome.stdout).toMatch(/rotation every 7 d/);
    expectNoSecret(outcome, [password, rds.secretData]);
  });

  it('authenticates with a ClientKey and never prints its password or private key', async () => {
    const clientKey = cloud.createClientKey();
    const keyFile = dir.write(`clientKey_${clientKey.keyId}.json`, clientKey.json);
    const file = dir.writeProperties('client-key.properties', {
      credentials_type: 'client_key',
      client_key_private_key_path: keyFile,
      client_key_password_from_env_variable: 'DOCTOR_CLIENT_KEY_PASSWORD',
      cache_client_region_id: regionJson(),
      secret_names: SECRET_NAME,
    });
    const outcome = await doctor(['doctor', '--config', file], {
      DOCTOR_CLIENT_KEY_PASSWORD: clientKey.password,
    });

    expect(outcome.code, outcome.all).toBe(0);
    expect(outcome.stdout).toContain(`client_key (ClientKey ${clientKey.keyId}`);
    expect(outcome.stdout).toContain(`ok   ${SECRET_NAME}:`);
    expectNoSecret(outcome, [
      clientKey.password,
      clientKey.privateKeyData,
      clientKey.privateKeyPem.split('\n')[1] ?? '',
    ]);
  });
});

describe('doctor with a bad configuration exits 1 and names the key', () => {
  it('malformed JSON in cache_client_region_id', async () => {
    const file = dir.writeProperties(
      'bad-json.properties',
      akConfig({ cache_client_region_id: '[{"regionId": cn-hangzhou}]' }),
    );
    const outcome = await doctor(['doctor', '--config', file]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/FAIL ConfigError MC_CONFIG_INVALID: .*cache_client_region_id/);
    expect(outcome.stdout).toContain('the configuration is invalid');
    expectNoSecret(outcome);
  });

  it('a missing required key', async () => {
    const { credentials_access_key_id: _id, ...rest } = akConfig();
    const file = dir.writeProperties('missing-id.properties', rest);
    const outcome = await doctor(['doctor', '--config', file]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/FAIL ConfigError MC_CONFIG_MISSING: .*credentials_access_key_id/);
    expectNoSecret(outcome);
  });

  it('a ClientKey with the wrong password: the error names the key, neither password is printed', async () => {
    const clientKey = cloud.createClientKey();
    const keyFile = dir.write(`wrong/clientKey_${clientKey.keyId}.json`, clientKey.json);
    const wrongPassword = 'not-the-password-0123456789';
    const passwordFile = dir.write('wrong/password.txt', `${wrongPassword}\n`);
    const file = dir.writeProperties('wrong-password.properties', {
      credentials_type: 'client_key',
      client_key_private_key_path: keyFile,
      client_key_password_from_file_path: passwordFile,
      cache_client_region_id: regionJson(),
    });
    const outcome = await doctor(['doctor', '--config', file]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/FAIL ClientKeyError MC_CLIENT_KEY_INVALID: .*client_key/);
    expect(outcome.stdout).toContain(`client_key_password_from_file_path  ${passwordFile}`);
    expectNoSecret(outcome, [wrongPassword, clientKey.password, clientKey.privateKeyData]);
  });

  it('a file named by --config that does not exist', async () => {
    const outcome = await doctor(['doctor', '--config', 'nowhere.properties']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/FAIL ConfigError MC_CONFIG_NOT_FOUND: .*nowhere\.properties/);
  });

  it('a secret KMS does not have: the typed fetch error, exit 1', async () => {
    const file = dir.writeProperties('missing-secret.properties', akConfig());
    const outcome = await doctor(['doctor', '--config', file, '--secret', 'no-such-secret']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /FAIL no-such-secret: SecretNotFoundError MC_SECRET_NOT_FOUND: .*Forbidden\.ResourceNotFound/,
    );
    expect(outcome.stdout).toContain('1 of 1 secret(s) could not be fetched');
    expectNoSecret(outcome);
  });

  it('a KMS caller key KMS does not know: the typed fetch error, no secret printed', async () => {
    const file = dir.writeProperties(
      'unknown-caller.properties',
      akConfig({ credentials_access_key_id: 'LTAI5tUnknownCallerKey00' }),
    );
    const outcome = await doctor(['doctor', '--config', file]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      new RegExp(`FAIL ${SECRET_NAME}: SecretFetchError MC_SECRET_FETCH_FAILED: .*InvalidAccessKeyId`),
    );
    expectNoSecret(outcome);
  });
});

describe('doctor usage', () => {
  it('--help prints the usage and exits 0', async () => {
    const outcome = await doctor(['doctor', '--help']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('Usage: managed-credentials doctor [--config <path>] [--secret <name>]');
  });

  it('an unknown option or command exits 2 with the usage on stderr', async () => {
    const option = await doctor(['doctor', '--bogus']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--bogus'");
    const command = await doctor(['doctr']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "doctr"');
  });

  const bin = fileURLToPath(new URL('../bin/managed-credentials.mjs', import.meta.url));
  const built = existsSync(fileURLToPath(new URL('../dist/cli.cjs', import.meta.url)));
  it.skipIf(!built)('the bin runs the built CLI (after `pnpm build`)', async () => {
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [bin, '--help'], (error, stdout) =>
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout }),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: managed-credentials <command>');
  });
});
