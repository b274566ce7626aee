// @ts-check
/**
 * Probe (issue 14, not part of `pnpm bench`): where a managed client allocates per call beyond the bare one.
 * Bare and managed client of one kind (`bench/clients/<kind>.mjs`), SDK transport stubbed as in
 * `oss-pop-harness.mjs`; each side makes PROBE_CALLS calls of the kind's first operation under V8's
 * sampling heap profiler, counting objects a scavenge already freed too. Prints bytes per call by
 * allocating function, managed − bare, largest first. The totals are the reliable figure: the JIT
 * inlines differently in the two runs, so a callee's bytes can move to its caller's row (a large
 * positive row in SDK code is usually such a move, with its counterpart among the negative rows).
 *
 *   pnpm build && node --expose-gc bench/probes/alloc-sites.mjs oss.mjs
 */
import { Session } from 'node:inspector/promises';
import { startEmulator } from '../lib/processes.mjs';
// Before any SDK loads: it patches the connection factory the SDKs' agents copy.
import * as stub from '../lib/stub-transport.mjs';

const kindFile = process.argv[2] ?? 'oss.mjs';
const CALLS = Number(process.env['PROBE_CALLS'] ?? 20_000);
const emulator = await startEmulator();
try {
  const { world } = emulator;
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
  await provider.getAccessKey(world.secretName);
  const module = await import(new URL(`../clients/${kindFile}`, import.meta.url).href);
  const real = world.endpoints[kindFile.startsWith('oss') ? 'oss' : 'ecs'];
  const { region, bucket, secretName, staticKey: key } = world;
  const realBare = (await module.bareFactory({ endpoint: real, region, bucket, key }))();
  const [, operation] = /** @type {[string, any]} */ (Object.entries(module.operations)[0]);
  await operation.prepare?.(realBare);
  const answer = await stub.recordAnswer(Number(new URL(real).port), () => operation.call(realBare));
  stub.serveFromMemory(1201, answer);
  const endpoint = 'http://127.0.0.1:1201';
  const bare = (await module.bareFactory({ endpoint, region, bucket, key }))();
  const managed = (await module.managedFactory({ endpoint, region, bucket, secretName, provider }))();
  for (let i = 0; i < 5_000; i++) {
    await operation.call(bare);
    await operation.call(managed);
  }
  const session = new Session();
  session.connect();
  /** @param {object} client */
  const sample = async (client) => {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 256,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    for (let i = 0; i < CALLS; i++) await operation.call(client);
    const { profile } = await session.post('HeapProfiler.stopSampling');
    /** @type {Map<string, number>} */
    const bytes = new Map();
    /** @param {any} node */
    const walk = (node) => {
      const frame = node.callFrame;
      const site = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
      const self = node.selfSize;
      if (self > 0) bytes.set(site, (bytes.get(site) ?? 0) + self);
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    return bytes;
  };
  const bareBytes = await sample(bare);
  const managedBytes = await sample(managed);
  const sites = new Set([...bareBytes.keys(), ...managedBytes.keys()]);
  const rows = [...sites]
    .map((site) => ({
      site,
      'managed − bare B/call': ((managedBytes.get(site) ?? 0) - (bareBytes.get(site) ?? 0)) / CALLS,
    }))
    .filter((row) => Math.abs(row['managed − bare B/call']) >= 4)
    .sort((a, b) => b['managed − bare B/call'] - a['managed − bare B/call']);
  const total = (/** @type {Map<string, number>} */ m) => [...m.values()].reduce((a, b) => a + b, 0) / CALLS;
  console.log(`bare ${total(bareBytes).toFixed(0)} B/call, managed ${total(managedBytes).toFixed(0)} B/call`);
  console.table(rows.slice(0, 30));
  session.disconnect();
  await /** @type {any} */ (managed).close?.();
  await provider.close();
} finally {
  await emulator.close();
}
