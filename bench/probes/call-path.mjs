// @ts-check
/**
 * Probe (issue 14, the tea-openapi call path): what one managed call costs over
 * a bare one, in ONE process, on
 *   (a) a no-op `async` method of a tea-style client class, and
 *   (b) the real ECS client (`@alicloud/ecs20140526`) with the bench's stubbed
 *       transport (every line of SDK code runs, no network); a third side, a bare
 *       client given the plug-in's credential object, splits that figure into the
 *       credential's share and the call path's,
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
const { NoopClient, providerOnFakeCloud } = await import('./noop-client.mjs');
const { createClient } = await import('managed-credentials-tea-openapi');
const { default: EcsModule, ...$Ecs } = await import('@alicloud/ecs20140526');
const { $OpenApiUtil } = await import('@alicloud/openapi-core');
const Ecs = /** @type {any} */ (EcsModule).default ?? EcsModule;

const env = process.env;
const ROUNDS = Number(env['PROBE_ROUNDS'] ?? 40);
const ONLY = env['PROBE_ONLY'];
const countPromises = process.argv.includes('--promises');
const gc = /** @type {((o?: { type: 'minor' }) => void) | undefined} */ (globalThis.gc);

const SECRET = 'probe-secret';
const { cloud, provider } = await providerOnFakeCloud(SECRET);
const key = /** @type {{ accessKeyId: string, accessKeySecret: string }} */ (cloud.currentAccessKey(SECRET));

/** @param {string} host @param {object} [extra] */
const ecsConfig = (host, extra = {}) =>
  new $OpenApiUtil.Config({ endpoint: host, protocol: 'http', regionId: 'cn-hangzhou', ...extra });
const request = new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', pageSize: 10 });

/**
 * Each workload's sides: `bare` and `managed`, and for ECS also `credential`: a bare client given the
 * plug-in's credential object (no Proxy, no callWithAccessKey), which splits the managed figure into
 * what the credential costs and what the call path costs.
 * @type {{ id: string, calls: number, sides: Record<string, () => Promise<unknown>> }[]}
 */
const workloads = [];
if (!ONLY || ONLY === 'noop') {
  const bare = new NoopClient({});
  const managed = createClient({}, NoopClient, SECRET, { provider });
  const arg = {};
  workloads.push({
    id: 'noop async method',
    calls: Number(env['PROBE_NOOP_CALLS'] ?? 20_000),
    sides: { bare: () => bare.describeThings(arg), managed: () => managed.describeThings(arg) },
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
  const credentialOnly = new Ecs(ecsConfig('127.0.0.1:1001', { credential: managed._credential }));
  workloads.push({
    id: 'ECS DescribeInstances (stubbed transport)',
    calls: Number(env['PROBE_ECS_CALLS'] ?? 400),
    sides: {
      bare: () => bare.describeInstances(request),
      managed: () => managed.describeInstances(request),
      credential: () => credentialOnly.describeInstances(request),
    },
  });
}

for (const workload of workloads) {
  // Warm-up: JIT, the SDK's pools, the plug-in's first-call decisions.
  for (const side of Object.values(workload.sides)) for (let i = 0; i < workload.calls; i++) await side();
}

if (countPromises) {
  /** @type {Record<string, Record<string, number>>} */
  const rows = {};
  for (const workload of workloads) {
    /** @type {Record<string, number>} */
    const row = (rows[workload.id] = {});
    for (const [name, side] of Object.entries(workload.sides)) {
      row[`${name} promises/call`] = await promisesPerCall(side, 1_000);
    }
  }
  console.table(rows);
} else {
  /** @type {Record<string, Record<string, number | string>>} */
  const rows = {};
  for (const workload of workloads) {
    const names = Object.keys(workload.sides);
    /** @type {Record<string, { cpu: number[], wall: number[] }>} */
    const added = {};
    /** @type {number[]} */ const bareCpu = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? names : [...names].reverse();
      /** @type {Map<string, { cpuNs: number, wallNs: number }>} */
      const took = new Map();
      for (const name of order) {
        took.set(
          name,
          await block(/** @type {() => Promise<unknown>} */ (workload.sides[name]), workload.calls),
        );
      }
      const bare = /** @type {{ cpuNs: number, wallNs: number }} */ (took.get('bare'));
      bareCpu.push(bare.cpuNs / workload.calls / 1e3);
      for (const [name, side] of took) {
        if (name === 'bare') continue;
        const diff = (added[name] ??= { cpu: [], wall: [] });
        diff.cpu.push((side.cpuNs - bare.cpuNs) / workload.calls / 1e3);
        diff.wall.push((side.wallNs - bare.wallNs) / workload.calls / 1e3);
      }
    }
    for (const [name, diff] of Object.entries(added)) {
      const c = medianInterval(diff.cpu);
      const w = medianInterval(diff.wall);
      rows[`${workload.id}: ${name} − bare`] = {
        'bare CPU µs/call': round(medianInterval(bareCpu).median, 2),
        'added CPU µs/call': round(c.median, 3),
        'CPU 90 %': `${round(c.low, 3)} … ${round(c.high, 3)}`,
        'added wall µs/call': round(w.median, 3),
        'wall 90 %': `${round(w.low, 3)} … ${round(w.high, 3)}`,
      };
    }
  }
  console.log(`${ROUNDS} rounds, blocks of each side in turn (order flips each round)`);
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
