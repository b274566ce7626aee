import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';

/**
 * These tests run the provider in a child Node process (the fake cloud stays
 * here), so the child's active handles are the provider's alone. The child
 * loads the sources transpiled on the fly (no type check, no build needed).
 */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside the package's node_modules so the child resolves @alicloud/credentials, p-retry … as the package does.
const buildDir = join(packageDir, 'node_modules', '.cache', `lifecycle-${process.pid}`);
const run = promisify(execFile);

let cloud: FakeCloud;

function transpileSources(): void {
  const srcDir = join(packageDir, 'src');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
  for (const file of walk(srcDir)) {
    const { outputText } = ts.transpileModule(ts.sys.readFile(file) ?? '', {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    const out = join(buildDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  writeFileSync(join(buildDir, 'package.json'), '{"type":"module"}');
}

/** Runs `body` (ESM, with `provider` built from the fake cloud config) in a child; returns its stdout lines. */
async function inChild(body: string, extraConfig = ''): Promise<string[]> {
  const caller = cloud.createKmsAccessKey();
  const script = `
    import dc from 'node:diagnostics_channel';
    import { ManagedCredentialsProvider } from './index.js';
    const provider = new ManagedCredentialsProvider({ config: {
      credentials_type: 'ak',
      credentials_access_key_id: process.env.TEST_AK_ID,
      credentials_access_secret: process.env.TEST_AK_SECRET,
      cache_client_region_id: JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: process.env.TEST_KMS }]),
      ${extraConfig}
    } });
    ${body}
  `;
  const file = join(buildDir, `child-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  const { stdout } = await run(process.execPath, [file], {
    cwd: buildDir,
    // A hang (a handle keeping the process alive) fails the test instead of blocking it.
    timeout: 20_000,
    env: {
      PATH: process.env['PATH'],
      TEST_AK_ID: caller.accessKeyId,
      TEST_AK_SECRET: caller.accessKeySecret,
      TEST_KMS: cloud.kms.endpoint,
    },
  });
  return stdout.trim().split('\n');
}

beforeAll(async () => {
  cloud = await startFakeCloud();
  transpileSources();
  cloud.createRamSecret('lifecycle');
});

afterAll(async () => {
  rmSync(buildDir, { recursive: true, force: true });
  await cloud.close();
});

describe('lifecycle', () => {
  it('a program that fetched a key and never calls close() exits by itself', async () => {
    const lines = await inChild(`
      const key = await provider.getAccessKey('lifecycle');
      provider.register('lifecycle');
      console.log('fetched generation', key.generation);
    `);
    expect(lines).toEqual(['fetched generation 1']);
  });

  it('close() twice is harmless and leaves no active handle behind, even with a fetch in flight', async () => {
    cloud.faults.kms.setLatency(10_000);
    try {
      const lines = await inChild(`
        const sent = new Promise((resolve) => dc.subscribe('http.client.request.start', resolve));
        const pending = provider.getAccessKey('lifecycle').catch((error) => error.code);
        await sent;
        await provider.close();
        await provider.close();
        console.log(await pending);
        // Handles destroyed by close() are reaped by libuv within a few turns of the loop.
        const settled = () => process.getActiveResourcesInfo().every((r) => r === 'PipeWrap' || r === 'TTYWrap');
        for (let turn = 0; turn < 100 && !settled(); turn++) await new Promise((resolve) => setImmediate(resolve));
        console.log(JSON.stringify(process.getActiveResourcesInfo()));
      `);
      expect(lines[0]).toBe('MC_PROVIDER_CLOSED');
      const after = JSON.parse(lines[1] ?? '[]') as string[];
      // Only the stdout pipe is left: no socket, no timer (the waiter's keep-alive went with it).
      expect(after.filter((resource) => resource !== 'PipeWrap' && resource !== 'TTYWrap')).toEqual([]);
    } finally {
      cloud.faults.kms.clear();
    }
  });

  it('a background prefetch hanging on a silent KMS does not keep the process alive after its last call', async () => {
    // Longer than the child's 20 s time limit: if the hung request held the process, the test would fail.
    cloud.faults.kms.setLatency(60_000);
    const before = cloud.counters.count({ service: 'kms', secretName: 'lifecycle-hung' });
    try {
      const lines = await inChild(
        `
        await new Promise((resolve) => dc.subscribe('http.client.request.start', resolve));
        console.log('prefetch sent; last call done');
      `,
        `secret_names: 'lifecycle-hung', kms_request_timeout_ms: '120000',`,
      );
      expect(lines).toEqual(['prefetch sent; last call done']);
      // The child really had the request in flight: the fake KMS saw it arrive (and saw it dropped at exit).
      await expect
        .poll(() => cloud.counters.count({ service: 'kms', secretName: 'lifecycle-hung' }))
        .toBe(before + 1);
    } finally {
      cloud.faults.kms.clear();
    }
  });
});
