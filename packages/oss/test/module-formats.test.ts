import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeCloud } from 'managed-credentials-fake-cloud';
import { startCloud } from './support/oss-world.js';

const run = promisify(execFile);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const built = (pkg: string): boolean =>
  existsSync(fileURLToPath(new URL(`../../${pkg}/dist/index.cjs`, import.meta.url)));

let cloud: FakeCloud;
let smokeEnv: string;

beforeAll(async () => {
  if (!built('oss') || !built('managed-credentials'))
    throw new Error(
      `dist/ is missing (vitest's globalSetup, build/vitest-ensure-built.mjs, builds it; or run pnpm build)`,
    );
  cloud = await startCloud();
  cloud.createRamSecret('smoke-secret');
  smokeEnv = JSON.stringify({
    // Copied into a plain object: the config's own toJSON would write its AccessKeySecret as '****'.
    config: { ...cloud.pluginConfig() },
    ossEndpoint: cloud.oss.endpoint,
    secretName: 'smoke-secret',
    bucket: 'smoke-bucket',
  });
  // Created with a bare ali-oss client holding the secret's current key: the fixtures only need it to exist.
  const { default: OSS } = await import('ali-oss');
  const key = cloud.currentAccessKey('smoke-secret')!;
  await new OSS({ endpoint: cloud.oss.endpoint, ...key }).putBucket('smoke-bucket');
}, 120_000);

afterAll(async () => {
  await cloud?.close();
});

describe('the built package loads from both module systems', () => {
  it.each(['smoke.mjs', 'smoke.cjs'])(
    '%s: import/require, put and get through the fake cloud',
    async (file) => {
      const { stdout } = await run(process.execPath, [fixture(file)], {
        env: { ...process.env, OSS_SMOKE: smokeEnv },
        timeout: 20_000,
      });
      const kind = file.endsWith('.mjs') ? 'esm' : 'cjs';
      expect(JSON.parse(stdout)).toEqual({ instanceOfOSS: true, body: `from ${kind}` });
    },
  );
});
