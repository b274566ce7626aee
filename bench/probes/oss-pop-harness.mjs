// @ts-check
/**
 * Shared harness of the OSS / pop-core probes (`oss-cpu.mjs`, `pop-core-cpu.mjs`): bare vs managed
 * clients of ONE kind (`bench/clients/<kind>.mjs`) in this process, the SDK transport stubbed with the
 * bench's `lib/stub-transport.mjs` (recorded from fake-cloud, which runs in its own child process), as
 * `bench/workloads/client-calls.mjs` does. Not part of `pnpm bench`; run `pnpm build` first (loads dist/).
 *
 * Modes (argv after the kind file):
 *   cpu       alternating blocks (A B, B A …) of sequential calls; per round managed − bare CPU µs/call;
 *             also heap bytes allocated per call (heapUsed delta of a block without a scavenge in it)
 *   promises  promises created per call (async_hooks, its own run: the hook itself slows every promise)
 * Env: PROBE_ROUNDS (default 20), PROBE_CALLS (calls per block, default 600).
 */
import { createHook } from 'node:async_hooks';
import { PerformanceObserver } from 'node:perf_hooks';
import { startEmulator } from '../lib/processes.mjs';
// Before any SDK loads: it patches the connection factory the SDKs' agents copy.
import * as stub from '../lib/stub-transport.mjs';

/**
 * @param {string} kindFile e.g. 'oss.mjs'
 * @param {string} mode 'cpu' | 'promises'
 */
export async function runProbe(kindFile, mode) {
  const emulator = await startEmulator();
  try {
    const { world } = emulator;
    const { ManagedCredentialsProvider } = await import('managed-credentials');
    const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
    await provider.getAccessKey(world.secretName);
    const module = await import(new URL(`../clients/${kindFile}`, import.meta.url).href);
    const service = kindFile.startsWith('oss') ? 'oss' : 'ecs';
    const real = world.endpoints[service];
    const { region, bucket, secretName, staticKey: key } = world;
    const realBare = (await module.bareFactory({ endpoint: real, region, bucket, key }))();
    /** @type {{ id: string, bare: () => Promise<unknown>, managed: () => Promise<unknown> }[]} */
    const ops = [];
    let port = 1101;
    for (const [id, operation] of Object.entries(module.operations)) {
      const op = /** @type {import('../clients/index.mjs').Operation} */ (operation);
      await op.prepare?.(realBare);
      const answer = await stub.recordAnswer(Number(new URL(real).port), () => op.call(realBare));
      stub.serveFromMemory(port, answer);
      const endpoint = `http://127.0.0.1:${port++}`;
      const bare = (await module.bareFactory({ endpoint, region, bucket, key }))();
      const managed = (await module.managedFactory({ endpoint, region, bucket, secretName, provider }))();
      await op.call(bare);
      await op.call(managed);
      ops.push({ id, bare: () => op.call(bare), managed: () => op.call(managed) });
    }
    if (mode === 'promises') await countPromises(ops);
    else await measureCpu(ops);
    await provider.close();
  } finally {
    await emulator.close();
  }
}

/** @param {{ id: string, bare: () => Promise<unknown>, managed: () => Promise<unknown> }[]} ops */
async function countPromises(ops) {
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') promises++;
    },
  });
  for (const op of ops) {
    for (const side of /** @type {const} */ (['bare', 'managed'])) {
      for (let i = 0; i < 50; i++) await op[side]();
      hook.enable();
      promises = 0;
      const n = 200;
      for (let i = 0; i < n; i++) await op[side]();
      hook.disable();
      console.log(`${op.id} ${side}: ${(promises / n).toFixed(2)} promises/call`);
    }
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {{ id: string, bare: () => Promise<unknown>, managed: () => Promise<unknown> }[]} ops */
async function measureCpu(ops) {
  const rounds = Number(process.env.PROBE_ROUNDS ?? 20);
  const calls = Number(process.env.PROBE_CALLS ?? 600);
  const gc = /** @type {(options?: { type: 'minor' }) => void} */ (globalThis.gc);
  let gcs = 0;
  new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });
  for (const op of ops) {
    for (let i = 0; i < 1500; i++) {
      await op.bare();
      await op.managed();
    }
    /** @type {number[]} */ const added = [];
    /** @type {number[]} */ const bareUs = [];
    /** @type {{ bare: number[], managed: number[] }} */ const allocated = { bare: [], managed: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? /** @type {const} */ (['bare', 'managed']) : /** @type {const} */ (['managed', 'bare']);
      /** @type {Record<string, number>} */ const cpuPerCall = {};
      for (const side of order) {
        gc({ type: 'minor' });
        // Allocation: a short block right after the scavenge, counted only when no GC ran in it (gc
        // entries reach the observer on a timer, hence the sleeps).
        await sleep(2);
        const gcsBefore = gcs;
        const heapBefore = process.memoryUsage().heapUsed;
        for (let i = 0; i < 20; i++) await op[side]();
        const heapAfter = process.memoryUsage().heapUsed;
        await sleep(2);
        if (gcs === gcsBefore) allocated[side].push((heapAfter - heapBefore) / 20);
        gc({ type: 'minor' });
        const cpu = process.cpuUsage();
        for (let i = 0; i < calls; i++) await op[side]();
        const used = process.cpuUsage(cpu);
        cpuPerCall[side] = (used.user + used.system) / calls;
      }
      added.push(/** @type {number} */ (cpuPerCall.managed) - /** @type {number} */ (cpuPerCall.bare));
      bareUs.push(/** @type {number} */ (cpuPerCall.bare));
    }
    const sorted = [...added].sort((a, b) => a - b);
    const q = (/** @type {number} */ p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
    const median = (/** @type {number[]} */ v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
    console.log(
      `${op.id}: bare ${median(bareUs).toFixed(1)} µs/call, added ${median(added).toFixed(2)} µs ` +
        `(p10 ${q(0.1).toFixed(2)} … p90 ${q(0.9).toFixed(2)}); ` +
        `heap/call bare ${median(allocated.bare).toFixed(0)} B, managed ${median(allocated.managed).toFixed(0)} B ` +
        `(${allocated.bare.length}/${allocated.managed.length} clean blocks)`,
    );
  }
}
