// @ts-check
/**
 * A fresh process that imports what an application imports and makes its
 * first call: `node first-call.mjs bare|managed|kms [--census]`, the world in
 * `BENCH_WORLD` (JSON), the plug-in's config in `BENCH_CONFIG` (`ak`
 * default, or `ecs_ram_role`). The SDK itself is imported first, untimed: it
 * is the same in both modes and by far the largest and noisiest part, and
 * leaving it out does not change the difference. Prints one JSON line: time
 * from then to the end of the other imports and to the first call's answer, the
 * process's CPU time (all threads) over the same span, the
 * plug-in's KMS round trip afterwards, and with `--census` the packages that
 * were loaded (the census hooks cost time, so census runs are not timed).
 */
/** `kms`: a bare tea-openapi client's first GetSecretValue (the plug-in's call), for the cold KMS round trip. */
const mode = ['managed', 'kms'].includes(process.argv[2] ?? '') ? process.argv[2] : 'bare';
const census = process.argv.includes('--census') ? await startCensus() : undefined;
/** @type {import('../lib/processes.mjs').World} */
const world = JSON.parse(process.env['BENCH_WORLD'] ?? '{}');
const configKind = process.env['BENCH_CONFIG'] === 'ecs_ram_role' ? 'ecs_ram_role' : 'ak';
const { region, bucket, secretName, staticKey: key } = world;
const endpoint = world.endpoints.ecs;

const ecs = await import('../clients/ecs.mjs');
const started = performance.now();
const cpuAtStart = process.cpuUsage();
/** @type {import('managed-credentials').ManagedCredentialsProvider | undefined} */
let provider;
/** @type {object} */
let client;
if (mode === 'managed') {
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const config = configKind === 'ak' ? world.pluginConfig : world.ecsRamRoleConfig;
  provider = new ManagedCredentialsProvider({ config });
  client = (await ecs.managedFactory({ endpoint, region, bucket, secretName, provider }))();
} else if (mode === 'kms') {
  client = await bareKmsClient();
} else {
  client = (await ecs.bareFactory({ endpoint, region, bucket, key }))();
}
const imported = performance.now();
if (mode === 'kms') await getSecretValue(client);
else await /** @type {import('../clients/index.mjs').Operation} */ (ecs.operations['get']).call(client);
const answered = performance.now();
const cpu = process.cpuUsage(cpuAtStart);

/** @type {number[]} */
const kmsTimes = [];
for (let i = 0; provider && i < 5; i++) {
  const refreshStarted = performance.now();
  await provider.refreshSecret(secretName);
  kmsTimes.push(performance.now() - refreshStarted);
}
kmsTimes.sort((a, b) => a - b);
const packages = census ? await census.packages() : undefined;
await /** @type {{ close?: () => Promise<void> }} */ (client).close?.();
await provider?.close();
process.stdout.write(
  `${JSON.stringify({
    mode,
    configKind,
    importMs: imported - started,
    firstCallMs: answered - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    kmsRoundTripMs: kmsTimes.length ? kmsTimes[Math.floor(kmsTimes.length / 2)] : null,
    packages,
  })}\n`,
);

/**
 * A bare `@alicloud/openapi-core` client for KMS with the plug-in's AccessKey, as an application would
 * make one: its first GetSecretValue pays the same cold SDK paths as the plug-in's first fetch.
 */
async function bareKmsClient() {
  const { default: core } = await import('@alicloud/openapi-core');
  const kms = new URL(JSON.parse(world.pluginConfig['cache_client_region_id'] ?? '[]')[0].endpoint);
  return new core.default({
    endpoint: kms.host,
    protocol: kms.protocol.slice(0, -1),
    regionId: region,
    accessKeyId: world.pluginConfig['credentials_access_key_id'],
    accessKeySecret: world.pluginConfig['credentials_access_secret'],
  });
}

/** @param {any} kms */
function getSecretValue(kms) {
  const params = {
    action: 'GetSecretValue',
    version: '2016-01-20',
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  };
  const query = {
    SecretName: secretName,
    VersionStage: 'ACSCurrent',
    FetchExtendedConfig: 'true',
    RegionId: region,
  };
  return kms.callApi(params, { query }, { readTimeout: 8000, connectTimeout: 5000 });
}

/** Records every module loaded from now on: ESM through resolve hooks, CommonJS from require's cache. */
async function startCensus() {
  const { register, createRequire } = await import('node:module');
  const { MessageChannel } = await import('node:worker_threads');
  const { port1, port2 } = new MessageChannel();
  /** @type {Set<string>} */
  const urls = new Set();
  port1.on('message', (url) => urls.add(String(url)));
  port1.unref();
  register(new URL('./census-hooks.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });
  return {
    async packages() {
      // Messages from the hooks thread arrive asynchronously.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const cjs = Object.keys(createRequire(import.meta.url)('node:module')._cache);
      const names = new Set([...urls, ...cjs].map(packageOf).filter((name) => name !== undefined));
      return [...names].sort();
    },
  };
}

/**
 * The package a module file belongs to: the name after the last `node_modules/`, or `workspace:<dir>`.
 * @param {string} location
 */
function packageOf(location) {
  if (location.startsWith('node:')) return undefined;
  const path = location.startsWith('file:') ? decodeURIComponent(new URL(location).pathname) : location;
  const at = path.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const [scope, name] = path.slice(at + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const workspace = /\/packages\/([^/]+)\//.exec(path);
  return workspace ? `workspace:${workspace[1]}` : undefined;
}
