// @ts-check
/**
 * Probe (issue 14, the tea-openapi call path): what one managed call costs over
 * a bare one, in ONE process, on
 *   (a) a no-op `async` method of a tea-style client class, and
 *   (b) the real ECS client (`@alicloud/ecs20140526`) with the bench's stubbed
 *       transport (every line of SDK code runs, no network),
 * bare and managed taking turns in blocks (order flipped each round), many rounds,
 * reporting the median of the paired differences (CPU from process.cpuUsage, and wall)
 * with a 90 % interval. `--promises` instead counts promises per call (async_hooks
 * `init` of type PROMISE), bare vs managed: a deterministic figure, run separately
 * because an enabled hook slows every promise.
 *
 *   pnpm build   # the probe loads dist/
 *   node --expose-gc bench/probes/call-path.mjs [--promises]
 *   PROBE_ROUNDS=40 PROBE_NOOP_CALLS=20000 PROBE_ECS_CALLS=400 node --expose-gc bench/probes/call-path.mjs
 *   PROBE_ONLY=noop (or ecs) limits it to one workload.
 *
 * fake-cloud runs in this process, but only to answer the KMS fetch and the one
 * recorded ECS call at set-up; no request reaches it while blocks run.
 */
import '../lib/stub-transport.mjs';
import { createHook } from 'node:async_hooks';
import { medianInterval, round } from '../lib/stats.mjs';

const stub = await import('../lib/stub-transport.mjs');
const { startFakeCloud } = await import('managed-credentials-fake-cloud');
const { ManagedCredentialsProvider } = await import('managed-credentials');
const { createClient } = await import('managed-credentials-tea-openapi');
const { default: EcsModule, ...$Ecs } = await import('@alicloud/ecs20140526');
const { $OpenApiUtil } = await import('@alicloud/openapi-core');
const Ecs = /** @type {any} */ (EcsModule).default ?? EcsModule;

const env = process.env;
const ROUNDS = Number(env['PROBE_ROUNDS'] ?? 40);
const ONLY = env['PROBE_ONLY'];
const countPromises = process.argv.includes('--promises');
const gc = /** @type {((o?: { type: 'minor' }) => void) | undefined} */ (globalThis.gc);

/** A tea-style client: a config with a credential, API methods that are native `async` functions. */
class NoopClient {
  /** @param {{ credential?: unknown }} config */
  constructor(config) {
    this._credential = config.credential;
  }
  /** @param {unknown} request */
  async describeThings(request) {
    return request;
  }
}

const SECRET = 'probe-secret';
const cloud = await startFakeCloud();
cloud.createRamSecret(SECRET);
const provider = new ManagedCredentialsProvider({ config: cloud.pluginConfig({ regionId: 'cn-hangzhou' }) });
await provider.getAccessKey(SECRET);
const key = /** @type {{ accessKeyId: string, accessKeySecret: string }} */ (cloud.currentAccessKey(SECRET));

/** @param {string} host @param {object} [extra] */
const ecsConfig = (host, extra = {}) =>
  new $OpenApiUtil.Config({ endpoint: host, protocol: 'http', regionId: 'cn-hangzhou', ...extra });
const request = new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', pageSize: 10 });

/** @type {{ id: string, calls: number, bare: () => Promise<unknown>, managed: () => Promise<unknown> }[]} */
const workloads = [];
if (!ONLY || ONLY === 'noop') {
  const bare = new NoopClient({});
  const managed = createClient({}, NoopClient, SECRET, { provider });
  const arg = {};
  workloads.push({
    id: 'noop async method',
    calls: Number(env['PROBE_NOOP_CALLS'] ?? 20_000),
    bare: () => bare.describeThings(arg),
    managed: () => managed.describeThings(arg),
  });
}
if (!ONLY || ONLY === 'ecs') {
  const realHost = new URL(cloud.ecs.endpoint).host;
  const real = new Ecs(ecsConfig(realHost, key));
  const answer = await stub.recordAnswer(Number(new URL(cloud.ecs.endpoint).port), () =>
    real.describeInstances(request),
  );
  stub.serveFromMemory(1001, answer);
  const bare = new Ecs(ecsConfig('127.0.0.1:1001', key));
  const managed = createClient(ecsConfig('127.0.0.1:1001'), Ecs, SECRET, { provider });
  workloads.push({
    id: 'ECS DescribeInstances (stubbed transport)',
    calls: Number(env['PROBE_ECS_CALLS'] ?? 400),
    bare: () => bare.describeInstances(request),
    managed: () => managed.describeInstances(request),
  });
}

for (const workload of workloads) {
  // Warm-up: JIT, the SDK's pools, the plug-in's first-call decisions.
  for (let i = 0; i < workload.calls; i++) await workload.bare();
  for (let i = 0; i < workload.calls; i++) await workload.managed();
}

if (countPromises) {
  const rows = {};
  for (const workload of workloads) {
    const calls = 1_000;
    rows[workload.id] = {
      'bare promises/call': await promisesPerCall(workload.bare, calls),
      'managed promises/call': await promisesPerCall(workload.managed, calls),
    };
  }
  console.table(rows);
} else {
  const rows = {};
  for (const workload of workloads) {
    /** @type {number[]} */ const cpu = [];
    /** @type {number[]} */ const wall = [];
    /** @type {number[]} */ const bareCpu = [];
    for (let r = 0; r < ROUNDS; r++) {
      const first = r % 2 === 0 ? workload.bare : workload.managed;
      const second = r % 2 === 0 ? workload.managed : workload.bare;
      const a = await block(first, workload.calls);
      const b = await block(second, workload.calls);
      const [bare, managed] = r % 2 === 0 ? [a, b] : [b, a];
      cpu.push((managed.cpuNs - bare.cpuNs) / workload.calls / 1e3);
      wall.push((managed.wallNs - bare.wallNs) / workload.calls / 1e3);
      bareCpu.push(bare.cpuNs / workload.calls / 1e3);
    }
    const c = medianInterval(cpu);
    const w = medianInterval(wall);
    rows[workload.id] = {
      'bare CPU µs/call': round(medianInterval(bareCpu).median, 2),
      'added CPU µs/call': round(c.median, 3),
      'CPU 90 %': `${round(c.low, 3)} … ${round(c.high, 3)}`,
      'added wall µs/call': round(w.median, 3),
      'wall 90 %': `${round(w.low, 3)} … ${round(w.high, 3)}`,
    };
  }
  console.log(`${ROUNDS} rounds, blocks alternate bare/managed (order flips each round)`);
  console.table(rows);
}

await provider.close();
await cloud.close();

/**
 * @param {() => Promise<unknown>} op
 * @param {number} calls
 */
async function block(op, calls) {
  gc?.({ type: 'minor' });
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await op();
  const wallNs = Number(process.hrtime.bigint() - wall);
  const used = process.cpuUsage(cpu);
  return { cpuNs: (used.user + used.system) * 1000, wallNs };
}

/**
 * Promises made per call of `op` (the block's own `await` included on both sides alike).
 * @param {() => Promise<unknown>} op
 * @param {number} calls
 */
async function promisesPerCall(op, calls) {
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') count += 1;
    },
  });
  hook.enable();
  for (let i = 0; i < calls; i++) await op();
  hook.disable();
  return round(count / calls, 2);
}
