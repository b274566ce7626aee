/**
 * The runnable examples and the demo (SPEC §1, issue 6): each one is spawned
 * as a user would run it — plain `node`, the BUILT workspace packages, its own
 * fake cloud — and must exit 0 by itself (no dangling handles) and print what
 * it promises. Run `pnpm build` first (`pnpm test` does).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateTlsMaterial } from 'managed-credentials-fake-cloud';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUILT = ['managed-credentials', 'tea-openapi', 'oss', 'pop-core', 'fake-cloud'].map(
  (pkg) => `${root}packages/${pkg}/dist/index.cjs`,
);

/**
 * Generous: loading @alicloud/ecs20140526 (3 000+ model files) alone takes
 * seconds on a busy machine. A hang still fails, by this timeout.
 */
const EXAMPLE_TIMEOUT_MS = 80_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// One RSA key generation for all examples instead of one each (see examples/support/local-cloud.mjs).
const tls = JSON.stringify(generateTlsMaterial());

/** Runs `node examples/<file>` from the repository root; resolves on exit (a hang fails by timeout). */
function runExample(file: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`examples/${file}`],
      {
        cwd: root,
        timeout: EXAMPLE_TIMEOUT_MS,
        env: { ...process.env, MANAGED_CREDENTIALS_CONFIG_FILE: '', MANAGED_CREDENTIALS_EXAMPLES_TLS: tls },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** An exit code other than 0 shows the program's output in the assertion message. */
function expectSuccess(run: Run): void {
  expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
}

describe('examples run against fake-cloud and exit 0 on their own', () => {
  it(
    'the packages are built (run `pnpm build` first)',
    () => {
      for (const file of BUILT) expect(existsSync(file), `${file} is missing`).toBe(true);
    },
    EXAMPLE_TIMEOUT_MS + 5_000,
  );

  it.concurrent(
    'demo: rotation and revocation under live traffic, no user-visible failure',
    async () => {
      const run = await runExample('demo.mjs');
      expectSuccess(run);
      expect(run.stdout).toMatch(
        /KMS\s+fetched secret demo-ram-secret: key LTAI\*{4}\w{4}, generation 1 \(reason: prefetch\)/,
      );
      expect(run.stdout).toMatch(/request rejected by the cloud: InvalidAccessKeyId/);
      expect(run.stdout).toMatch(/generation 2 \(reason: expired-key\)/);
      expect(run.stdout).toMatch(/ok after retry/);
      expect(run.stdout).toMatch(/calls failed for the user\s+0\n/);
      // Both clients were rejected, yet one KMS fetch served them (single flight), plus the first fetch.
      expect(run.stdout).toMatch(/KMS fetches\s+2 /);
      expect(run.stdout).toContain('credentials_access_secret=<redacted>');
      expect(run.stdout).toMatch(/credentials_access_key_id=LTAI\*{4}\w{4}\n/);
    },
    EXAMPLE_TIMEOUT_MS + 5_000,
  );

  it.concurrent(
    'ecs-describe-instances: DescribeInstances through createClient',
    async () => {
      const run = await runExample('ecs-describe-instances.mjs');
      expectSuccess(run);
      expect(run.stdout).toContain('client is an Ecs: true');
      expect(run.stdout).toMatch(/DescribeInstances: \d+ instances in cn-hangzhou/);
      expect(run.stdout).toMatch(/i-\w+\s+ecs\.\S+\s+Running/);
    },
    EXAMPLE_TIMEOUT_MS + 5_000,
  );

  it.concurrent(
    'oss-list-put-get: list, put, get and a presigned URL through ProxyOSSClient',
    async () => {
      const run = await runExample('oss-list-put-get.mjs');
      expectSuccess(run);
      expect(run.stdout).toContain('client is an OSS: true');
      expect(run.stdout).toContain('list notes/: notes/hello.txt (30 B), notes/second.txt (15 B)');
      expect(run.stdout).toContain('get notes/hello.txt: "hello from managed-credentials"');
      expect(run.stdout).toContain('signatureUrlV4: GET -> HTTP 200');
    },
    EXAMPLE_TIMEOUT_MS + 5_000,
  );

  it.concurrent(
    'pop-core-rpc-roa: RPC and ROA calls through a rotation, one KMS fetch for both clients',
    async () => {
      const run = await runExample('pop-core-rpc-roa.mjs');
      expectSuccess(run);
      expect(run.stdout).toContain('ecs is an RPCClient: true');
      expect(run.stdout).toMatch(/RPC DescribeInstances: i-\w+/);
      expect(run.stdout).toContain('ROA GET /clusters: c-fake-cloud-1, c-fake-cloud-2');
      expect(run.stdout.match(/rejected with key generation 1, retried with 2/g)).toHaveLength(2);
      expect(run.stdout).toContain('after rotation: RPC DescribeInstances ok, ROA GET /clusters ok');
      expect(run.stdout).toContain('KMS fetches: 2');
    },
    EXAMPLE_TIMEOUT_MS + 5_000,
  );

  it.concurrent(
    'config-file: the four ways to find the file, and a typed error naming the key',
    async () => {
      const run = await runExample('config-file.mjs');
      expectSuccess(run);
      for (const how of [
        'file in the working directory',
        'MANAGED_CREDENTIALS_CONFIG_FILE',
        'setConfigFilePath\\(\\)',
        'configFile option',
      ]) {
        expect(run.stdout).toMatch(
          new RegExp(`${how}: fetched my-ram-secret, key LTAI\\*{4}\\w{4} \\(secret in JSON: <redacted>\\)`),
        );
      }
      expect(run.stdout).toContain(
        'broken file rejected: ConfigError MC_CONFIG_INVALID key=cache_client_region_id',
      );
    },
    EXAMPLE_TIMEOUT_MS + 5_000,
  );

  it.concurrent(
    'programmatic-config: a provider from an object, shared by two clients',
    async () => {
      const run = await runExample('programmatic-config.mjs');
      expectSuccess(run);
      expect(run.stdout).toMatch(/ready: key LTAI\*{4}\w{4}/);
      expect(run.stdout).toContain('ECS DescribeInstances: 1 instance(s)');
      expect(run.stdout).toContain('OSS ListBuckets: programmatic');
      expect(run.stdout).toContain('KMS fetches for two clients: 1');
    },
    EXAMPLE_TIMEOUT_MS + 5_000,
  );

  it.concurrent(
    'generic-secret: a database password read from KMS, the pool re-created when it rotates',
    async () => {
      const run = await runExample('generic-secret.mjs');
      expectSuccess(run);
      expect(run.stdout).toContain('pool #1 opened as app, password of 20 characters');
      expect(run.stdout).toContain('secret my-db-secret: type Rds, rotation Enabled every 604800s');
      expect(run.stdout).toContain('printed, the info object hides the value: yes');
      expect(run.stdout).toMatch(
        /password rotated \(version \w{8} -> \w{8}\): pool #1 closed, pool #2 opened as app/,
      );
      expect(run.stdout).toContain('change listener calls: 1\n');
      expect(run.stdout).toContain('the open pool uses the current password: true');
      expect(run.stdout).toMatch(/KMS fetches: 3 /);
    },
    EXAMPLE_TIMEOUT_MS + 5_000,
  );

  it.concurrent('events-metrics: every provoked event becomes a log line and a counter', async () => {
    const run = await runExample('events-metrics.mjs');
    expectSuccess(run);
    const events = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { event: string; reason?: string }).event);
    expect(events).toEqual([
      'refreshed',
      'refreshed',
      'call-retried',
      'refresh-failed',
      'refreshed',
      'closed',
    ]);
    expect(run.stdout).toContain(
      'managed_credentials.refreshes{secret=my-ram-secret,reason=expired-key,key_changed=true} 1',
    );
    expect(run.stdout).toContain('managed_credentials.calls_retried{secret=my-ram-secret} 1');
    expect(run.stdout).toMatch(/refresh_failures\{secret=my-ram-secret,code=MC_SECRET_FETCH_FAILED\} 1/);
  });
});
