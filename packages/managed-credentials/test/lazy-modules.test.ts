/**
 * Issue 14: an app that authenticates with an AccessKey (or an ECS RAM role)
 * loads neither node-forge (ClientKey PKCS#12) nor protobufjs (KMS instance
 * API): both are loaded on first use only. A child Node process imports the
 * BUILT core, builds a provider with an `ak` config and fetches a secret from
 * fake-cloud, while a module resolve hook (ESM imports) and `require.cache`
 * (CommonJS loads) record every module it loaded. A second child with a
 * `client_key` config shows that the recording does see node-forge. Nor does
 * a config given in code load `properties-file`; one read from a properties
 * file does.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startFakeCloud, type FakeCloud } from 'managed-credentials-fake-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const CORE = join(root, 'packages/managed-credentials/dist/index.cjs');

const HOOKS = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  port.postMessage(resolved.url);
  return resolved;
}
`;

const CHILD = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const resolved = [];
port1.on('message', (url) => resolved.push(url));
register(process.env.HOOKS_URL, { data: { port: port2 }, transferList: [port2] });

const { ManagedCredentialsProvider } = await import(process.env.CORE_URL);
// No CONFIG: the properties file in the working directory.
const provider = new ManagedCredentialsProvider(process.env.CONFIG ? { config: JSON.parse(process.env.CONFIG) } : {});
const key = await provider.getAccessKey('lazy-secret');
await provider.close();

// The hook thread reports in order: once the sentinel arrives, every earlier resolution has too.
const SENTINEL = 'data:text/javascript,export default "sentinel"';
await import(SENTINEL);
await new Promise((done) => {
  const check = () => (resolved.includes(SENTINEL) ? done() : setImmediate(check));
  check();
});
port1.close();
const required = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({ fetched: Boolean(key.accessKeyId), modules: [...resolved, ...required] }));
`;

let cloud: FakeCloud;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CORE))
    throw new Error(
      `${CORE} is missing (vitest's globalSetup, build/vitest-ensure-built.mjs, builds it; or run pnpm build)`,
    );
  cloud = await startFakeCloud();
  cloud.createRamSecret('lazy-secret');
  dir = mkdtempSync(join(tmpdir(), 'mc-lazy-'));
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'child.mjs'), CHILD);
}, 120_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await cloud.close();
});

async function loadedModules(config: Record<string, string> | undefined, cwd = dir): Promise<string[]> {
  const { stdout } = await run(process.execPath, [join(dir, 'child.mjs')], {
    cwd,
    timeout: 20_000,
    env: {
      PATH: process.env['PATH'],
      CORE_URL: pathToFileURL(CORE).href,
      HOOKS_URL: pathToFileURL(join(dir, 'hooks.mjs')).href,
      CONFIG: config === undefined ? '' : JSON.stringify(config),
    },
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    fetched: boolean;
    modules: string[];
  };
  expect(report.fetched).toBe(true);
  // The recording works at all: the SDK the fetch went through was seen.
  expect(report.modules.some((module) => module.includes('/@alicloud/openapi-client/'))).toBe(true);
  return report.modules;
}

const loaded = (modules: string[], name: string): boolean =>
  modules.some((module) => module.includes(`/node_modules/${name}/`));

describe('modules an AccessKey config loads', () => {
  it('importing the core and fetching with credentials_type=ak loads neither node-forge nor protobufjs', async () => {
    const caller = cloud.createKmsAccessKey();
    const modules = await loadedModules({
      credentials_type: 'ak',
      credentials_access_key_id: caller.accessKeyId,
      credentials_access_secret: caller.accessKeySecret,
      cache_client_region_id: JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: cloud.kms.endpoint }]),
    });
    expect(loaded(modules, 'node-forge')).toBe(false);
    expect(loaded(modules, 'protobufjs')).toBe(false);
    expect(loaded(modules, 'properties-file')).toBe(false);
  });

  it('control: the same config read from a properties file does load properties-file', async () => {
    const caller = cloud.createKmsAccessKey();
    const withFile = join(dir, 'with-file');
    mkdirSync(withFile);
    writeFileSync(
      join(withFile, 'managed_credentials_providers.properties'),
      [
        'credentials_type=ak',
        `credentials_access_key_id=${caller.accessKeyId}`,
        `credentials_access_secret=${caller.accessKeySecret}`,
        `cache_client_region_id=${JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: cloud.kms.endpoint }])}`,
      ].join('\n'),
    );
    const modules = await loadedModules(undefined, withFile);
    expect(loaded(modules, 'properties-file')).toBe(true);
  });

  it('control: a client_key config does load node-forge (the recording sees it)', async () => {
    const key = cloud.createClientKey();
    const keyFile = join(dir, 'clientKey.json');
    writeFileSync(keyFile, key.json);
    const passwordFile = join(dir, 'password.txt');
    writeFileSync(passwordFile, key.password);
    const modules = await loadedModules({
      credentials_type: 'client_key',
      client_key_private_key_path: keyFile,
      client_key_password_from_file_path: passwordFile,
      cache_client_region_id: JSON.stringify([{ regionId: 'cn-hangzhou', endpoint: cloud.kms.endpoint }]),
    });
    expect(loaded(modules, 'node-forge')).toBe(true);
    expect(loaded(modules, 'protobufjs')).toBe(false);
  });
});
