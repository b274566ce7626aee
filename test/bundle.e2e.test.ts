/**
 * Bundled apps keep refresh and retry (SPEC §6): an app bundled by esbuild —
 * plain, `--minify` and `--minify --keep-names` — wraps `@alicloud/kms20160120`
 * 1.2.0 (rpc-client family, methods down-levelled to `__awaiter`),
 * `@alicloud/ecs20140526` 7.x and ali-oss. Across a rotation with the old key
 * revoked, each client's rejected call is refreshed and retried, with exactly
 * one KMS fetch for all of them. Before the detection stopped reading function
 * source text, minified `__awaiter` methods were not wrapped at all.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostOf, TempDir } from './support/e2e.js';

const ENTRY = fileURLToPath(new URL('./fixtures/bundle-app.mjs', import.meta.url));
const VARIANTS = {
  plain: {},
  minify: { minify: true },
  'minify + keep-names': { minify: true, keepNames: true },
} as const;
type Variant = keyof typeof VARIANTS;

const dir = new TempDir();
let cloud: FakeCloud;

beforeAll(async () => {
  // The app's own KMS client signs with the RAM user's key from the secret.
  cloud = await startFakeCloud({ kmsAcceptsRamUserKeys: true });
});
afterAll(async () => {
  await cloud?.close();
  dir.remove();
});

async function bundle(variant: Variant): Promise<string> {
  const outfile = join(dir.path, `${variant.replace(/\W+/g, '-')}.cjs`);
  await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'error',
    // ali-oss's urllib requires it only when a proxy is configured (inside a try); it is not installed.
    external: ['proxy-agent'],
    ...VARIANTS[variant],
  });
  return outfile;
}

interface AppRun {
  lines: Record<string, unknown>[];
  code: number | null;
  stderr: string;
}

/** Runs the bundled app; when it says `ready`, rotates its secret (old key revoked now) and lets it go on. */
function runAcrossRotation(file: string, secretName: string): Promise<AppRun> {
  const kmsCaller = cloud.createKmsAccessKey();
  const child = spawn(process.execPath, [file], {
    cwd: dir.path,
    env: {
      ...process.env,
      E2E_SECRET_NAME: secretName,
      E2E_BUCKET: secretName,
      E2E_APP_SECRET_NAME: `${secretName}-data`,
      E2E_KMS_ENDPOINT: cloud.kms.endpoint,
      E2E_KMS_HOST: hostOf(cloud.kms.endpoint),
      E2E_KMS_KEY_ID: kmsCaller.accessKeyId,
      E2E_KMS_KEY_SECRET: kmsCaller.accessKeySecret,
      E2E_ECS_HOST: hostOf(cloud.ecs.endpoint),
      E2E_OSS_ENDPOINT: cloud.oss.endpoint,
    },
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = JSON.parse(buffered.slice(0, end)) as Record<string, unknown>;
      buffered = buffered.slice(end + 1);
      lines.push(line);
      if (line['step'] === 'ready') {
        cloud.counters.reset();
        cloud.rotate(secretName, { revokeOld: 'now' });
        child.stdin.write('rotated\n');
      }
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ lines, code, stderr })));
}

describe('an esbuild bundle of an app with KMS (rpc-client), ECS and ali-oss clients', () => {
  it.each(Object.keys(VARIANTS) as Variant[])(
    '%s: each call rejected after a rotation is refreshed and retried, with one KMS fetch',
    async (variant) => {
      const secretName = `bundle-${variant.replace(/\W+/g, '-')}`;
      cloud.createRamSecret(secretName);
      cloud.createRamSecret(`${secretName}-data`);
      const run = await runAcrossRotation(await bundle(variant), secretName);
      const output = `exit ${run.code}\n${JSON.stringify(run.lines)}\nstderr:\n${run.stderr}`;
      expect(run.code, output).toBe(0);
      expect(run.lines, output).toEqual([
        { step: 'ready', before: ['ok', 'ok', 'ok'] },
        { step: 'done', after: ['ok', 'ok', 'ok'], retried: 3 },
      ]);
      // After the rotation: each client was refused once, and one KMS fetch served all three retries.
      expect(cloud.counters.count({ service: 'kms', action: 'GetSecretValue', secretName })).toBe(1);
      for (const service of ['kms', 'ecs', 'oss'] as const) {
        expect(
          cloud.counters.count({ service, outcome: 'InvalidAccessKeyId.NotFound' }) +
            cloud.counters.count({ service, outcome: 'InvalidAccessKeyId' }),
          `${service} rejections`,
        ).toBe(1);
      }
    },
    120_000,
  );
});
