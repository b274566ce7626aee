// @ts-check
/**
 * Probe (issue 14, not part of `pnpm bench`): the OSS wrapper's own cost per call without ali-oss's work —
 * a no-op async member added to `OSS.prototype` before the adapter loads (so it is wrapped like every
 * operation), called on a bare client and on a `ProxyOSSClient`, alternating blocks in one process.
 * Also an A/B against another build (PROBE_ALT, see `oss-pop-harness.mjs`).
 *
 *   pnpm build && node --expose-gc bench/probes/oss-noop.mjs
 */
import { startEmulator } from '../lib/processes.mjs';
import OSS from 'ali-oss';

/** @type {any} */ (OSS.prototype).benchNoop = async function benchNoop(/** @type {string} */ name) {
  return this.options.accessKeyId.length + name.length;
};
const emulator = await startEmulator();
try {
  const { world } = emulator;
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const { ProxyOSSClient } = await import('managed-credentials-oss');
  const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
  await provider.getAccessKey(world.secretName);
  const where = { endpoint: world.endpoints.oss, bucket: world.bucket };
  const bare = /** @type {any} */ (new OSS({ ...where, ...world.staticKey }));
  const managed = /** @type {any} */ (
    new ProxyOSSClient(where.endpoint, world.secretName, { provider, bucket: where.bucket })
  );
  /** @type {Record<string, () => Promise<unknown>>} */
  const sides = { bare: () => bare.benchNoop('x'), managed: () => managed.benchNoop('x') };
  if (process.env.PROBE_ALT) {
    const alt = await import(process.env.PROBE_ALT);
    const client = new alt.ProxyOSSClient(where.endpoint, world.secretName, {
      provider,
      bucket: where.bucket,
    });
    sides.alt = () => client.benchNoop('x');
  }
  const names = Object.keys(sides);
  for (let i = 0; i < 50_000; i++) for (const name of names) await sides[name]?.();
  /** @type {Record<string, number[]>} */ const ns = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < 30; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      const call = /** @type {() => Promise<unknown>} */ (sides[name]);
      globalThis.gc?.({ type: 'minor' });
      const started = process.cpuUsage();
      for (let i = 0; i < 50_000; i++) await call();
      const used = process.cpuUsage(started);
      ns[name]?.push(((used.user + used.system) * 1000) / 50_000);
    }
  }
  const median = (/** @type {number[]} */ v) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? NaN;
  for (const name of names) console.log(`${name}: ${median(ns[name] ?? []).toFixed(0)} ns/call`);
  await provider.close();
} finally {
  await emulator.close();
}
