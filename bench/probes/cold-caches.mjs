// @ts-check
/**
 * Probe (issue 14, why the wrapper costs more around a real call than around a
 * no-op): the same no-op `async` method, bare and through pieces of the
 * managed path, with the CPU caches evicted before every call (a sweep over a
 * buffer larger than the last-level cache, outside the timed stretch). Around
 * a real SDK call the wrapper's code and data are evicted the same way by the
 * SDK's own work between two calls, so a piece's cost there follows what it
 * touches (functions, objects, builtins), not how many instructions it runs.
 *
 * Each variant runs in lockstep with the bare call (one call each, order
 * alternating); the figure is the median per-call wall-time difference, in ns.
 *
 *   pnpm build   # the probe loads dist/
 *   node bench/probes/cold-caches.mjs
 *   PROBE_EVICT_MB=0 node bench/probes/cold-caches.mjs      # warm caches, for comparison
 *   PROBE_ROUNDS=3000 PROBE_ONLY=managed,clockRead node bench/probes/cold-caches.mjs
 *
 * fake-cloud runs in this process only to answer the one KMS fetch at set-up.
 */
import OSS from 'ali-oss';
import { createClient } from 'managed-credentials-tea-openapi';
import { NoopClient, providerOnFakeCloud } from './noop-client.mjs';

// An ali-oss operation that does nothing but read the key as a request would: added before the OSS
// adapter loads, so `ProxyOSSClient` wraps it like every operation. `ossManaged − ossBare` is the adapter.
/** @type {any} */ (OSS.prototype).probeNoop = async function probeNoop(/** @type {string} */ name) {
  return this.options.accessKeyId.length + this.options.accessKeySecret.length + name.length;
};
const { ProxyOSSClient } = await import('managed-credentials-oss');

const env = process.env;
const ROUNDS = Number(env['PROBE_ROUNDS'] ?? 2_000);
const EVICT_MB = Number(env['PROBE_EVICT_MB'] ?? 32);
const ONLY = env['PROBE_ONLY']?.split(',');

const SECRET = 'probe-secret';
const { cloud, provider } = await providerOnFakeCloud(SECRET);

const bare = new NoopClient({});
const managed = createClient({}, NoopClient, SECRET, { provider });
const forwarding = new Proxy(bare, {
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver);
    return typeof value === 'function'
      ? function (/** @type {unknown[]} */ ...args) {
          return Reflect.apply(value, target, args);
        }
      : value;
  },
});
const ossWhere = { endpoint: 'http://127.0.0.1:1', bucket: 'probe-bucket' };
const ossBare = /** @type {any} */ (new OSS({ ...ossWhere, accessKeyId: 'id', accessKeySecret: 'secret' }));
const ossManaged = /** @type {any} */ (
  new ProxyOSSClient(ossWhere.endpoint, SECRET, { provider, bucket: ossWhere.bucket })
);
const adapterOptions = { trackCallContext: false };
const arg = {};

/** @type {Record<string, () => unknown>} */
const variants = {
  managed: () => managed.describeThings(arg),
  forwardingProxy: () => forwarding.describeThings(arg),
  coreAroundBare: () => provider.callWithAccessKey(SECRET, () => bare.describeThings(arg), adapterOptions),
  cacheRead: () => (provider.currentAccessKey(SECRET), bare.describeThings(arg)),
  clockRead: () => (performance.now(), bare.describeThings(arg)),
  ossBare: () => ossBare.probeNoop('x'),
  ossManaged: () => ossManaged.probeNoop('x'),
  dateNow: () => (Date.now(), bare.describeThings(arg)),
  hrtimeBigint: () => (process.hrtime.bigint(), bare.describeThings(arg)),
  extraThen: () =>
    bare.describeThings(arg).then(undefined, (error) => {
      throw error;
    }),
};

const sweep = new Float64Array((EVICT_MB << 20) / 8);
/** Touches one float per 64-byte line of the buffer: every line of the caches is replaced. */
function evictCaches() {
  let sum = 0;
  for (let i = 0; i < sweep.length; i += 8) sum += sweep[i] = (sweep[i] ?? 0) + 1;
  return sum;
}

const bareCall = () => bare.describeThings(arg);
/** @type {Record<string, { 'added ns/call (median)': number, p25: number, p75: number }>} */
const rows = {};
for (const [name, variant] of Object.entries(variants)) {
  if (ONLY && !ONLY.includes(name)) continue;
  const sides = [bareCall, variant];
  for (let i = 0; i < 2_000; i++) for (const side of sides) await side();
  /** @type {number[]} */
  const added = [];
  for (let i = 0; i < ROUNDS; i++) {
    const took = [0, 0];
    for (let k = 0; k < 2; k++) {
      const index = (i + k) % 2;
      if (EVICT_MB > 0) evictCaches();
      const started = process.hrtime.bigint();
      await /** @type {() => unknown} */ (sides[index])();
      took[index] = Number(process.hrtime.bigint() - started);
    }
    added.push((took[1] ?? 0) - (took[0] ?? 0));
  }
  added.sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => added[Math.floor(q * (added.length - 1))] ?? Number.NaN;
  rows[name] = { 'added ns/call (median)': at(0.5), p25: at(0.25), p75: at(0.75) };
}
console.log(
  `${ROUNDS} lockstep rounds per variant, caches ${EVICT_MB > 0 ? `evicted (${EVICT_MB} MB sweep)` : 'warm'}`,
);
console.table(rows);

await ossManaged.close();
await provider.close();
await cloud.close();
