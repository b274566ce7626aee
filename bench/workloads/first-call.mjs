// @ts-check
/**
 * A fresh process that imports what an application imports and makes its
 * first call: `node first-call.mjs bare|managed [--census]`, the world in
 * `BENCH_WORLD` (JSON), the plug-in's config in `BENCH_CONFIG` (`ak`
 * default, or `ecs_ram_role`). The SDK itself is imported first, untimed: it
 * is the same in both modes and by far the largest and noisiest part, and
 * leaving it out does not change the difference. Prints one JSON line: time
 * from then to the end of the other imports and to the first call's answer, the
 * process's CPU time (all threads) over the same span, the
 * plug-in's KMS round trip afterwards, and with `--census` the packages that
 * were loaded (the census hooks cost time, so census runs are not timed).
 */
const mode = process.argv[2] === 'managed' ? 'managed' : 'bare';
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
} else {
  client = (await ecs.bareFactory({ endpoint, region, bucket, key }))();
}
const imported = performance.now();
await /** @type {import('../clients/index.mjs').Operation} */ (ecs.operations['get']).call(client);
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
