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
 * Env: PROBE_ROUNDS (default 20), PROBE_CALLS (calls per block, default 600), PROBE_ALT: path of another
 * build of the adapter (e.g. a copy of the previous `dist/index.cjs` next to the current one) whose client
 * runs as a third side `alt` — an A/B of two versions of the wrapper in one process.
 */
import { createHook } from 'node:async_hooks';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { startEmulator } from '../lib/processes.mjs';
// Before any SDK loads: it patches the connection factory the SDKs' agents copy.
import * as stub from '../lib/stub-transport.mjs';

/**
 * @param {string} kindFile e.g. 'oss.mjs'
 * @param {string | ((ops: Side[]) => Promise<void>)} mode 'cpu' | 'promises', or a probe's own measurement
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
    /** @type {Side[]} */
    const ops = [];
    const altModule = process.env.PROBE_ALT ? await import(process.env.PROBE_ALT) : undefined;
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
      /** @type {Side} */
      const side = { id, bare: () => op.call(bare), managed: () => op.call(managed) };
      if (altModule) {
        const alt = altFactory(altModule, { endpoint, bucket, secretName, provider });
        await op.call(alt);
        side.alt = () => op.call(alt);
      }
      ops.push(side);
    }
    if (typeof mode === 'function') await mode(ops);
    else if (mode === 'promises') await countPromises(ops);
    else await measureCpu(ops);
    await provider.close();
  } finally {
    await emulator.close();
  }
}

/**
 * @typedef {{ id: string, bare: () => Promise<unknown>, managed: () => Promise<unknown>,
 *   alt?: () => Promise<unknown> }} Side
 */

/**
 * A client of the alternative build: its exported ProxyOSSClient / ProxyRPCClient.
 * @param {Record<string, any>} module
 * @param {{ endpoint: string, bucket: string, secretName: string, provider: unknown }} where
 */
function altFactory(module, { endpoint, bucket, secretName, provider }) {
  if (module.ProxyOSSClient) return new module.ProxyOSSClient(endpoint, secretName, { provider, bucket });
  return new module.ProxyRPCClient({ endpoint, apiVersion: '2014-05-26' }, secretName, { provider });
}

/** @param {Side[]} ops */
async function countPromises(ops) {
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') promises++;
    },
  });
  for (const op of ops) {
    for (const side of sidesOf(op)) {
      const call = /** @type {() => Promise<unknown>} */ (op[side]);
      for (let i = 0; i < 50; i++) await call();
      hook.enable();
      promises = 0;
      const n = 200;
      for (let i = 0; i < n; i++) await call();
      hook.disable();
      console.log(`${op.id} ${side}: ${(promises / n).toFixed(2)} promises/call`);
    }
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {Side} op @returns {('bare' | 'managed' | 'alt')[]} */
const sidesOf = (op) => (op.alt ? ['bare', 'managed', 'alt'] : ['bare', 'managed']);

/** @param {number[]} values @param {number} p */
function quantile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/** @param {Side[]} ops */
async function measureCpu(ops) {
  const rounds = Number(process.env.PROBE_ROUNDS ?? 20);
  const calls = Number(process.env.PROBE_CALLS ?? 600);
  const gc = /** @type {(options?: { type: 'minor' }) => void} */ (globalThis.gc);
  let gcs = 0;
  /** @type {{ start: number, duration: number, major: boolean }[]} */
  const gcEntries = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcs++;
      const kind = /** @type {{ kind?: number }} */ (entry.detail)?.kind;
      gcEntries.push({
        start: entry.startTime,
        duration: entry.duration,
        major: kind === constants.NODE_PERFORMANCE_GC_MAJOR,
      });
    }
  }).observe({ entryTypes: ['gc'] });
  /** @type {{ side: string, start: number, end: number }[]} */
  const blocks = [];
  for (const op of ops) {
    const sides = sidesOf(op);
    for (let i = 0; i < 1500; i++) for (const side of sides) await op[side]?.();
    /** @type {Record<string, number[]>} */ const cpu = { bare: [], managed: [], alt: [] };
    /** @type {Record<string, number[]>} */ const allocated = { bare: [], managed: [], alt: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const call = /** @type {() => Promise<unknown>} */ (op[side]);
        gc({ type: 'minor' });
        // Allocation: a short block right after the scavenge, counted only when no GC ran in it (gc
        // entries reach the observer on a timer, hence the sleeps).
        await sleep(2);
        const gcsBefore = gcs;
        const heapBefore = process.memoryUsage().heapUsed;
        for (let i = 0; i < 20; i++) await call();
        const heapAfter = process.memoryUsage().heapUsed;
        await sleep(2);
        if (gcs === gcsBefore) allocated[side]?.push((heapAfter - heapBefore) / 20);
        gc({ type: 'minor' });
        const started = process.cpuUsage();
        const startedAt = performance.now();
        for (let i = 0; i < calls; i++) await call();
        const used = process.cpuUsage(started);
        blocks.push({ side, start: startedAt, end: performance.now() });
        cpu[side]?.push((used.user + used.system) / calls);
      }
    }
    const diff = (/** @type {string} */ a, /** @type {string} */ b) =>
      (cpu[a] ?? []).map((value, i) => value - (cpu[b]?.[i] ?? NaN));
    const show = (/** @type {number[]} */ values) =>
      `${quantile(values, 0.5).toFixed(2)} µs (p25 ${quantile(values, 0.25).toFixed(2)} … p75 ${quantile(values, 0.75).toFixed(2)})`;
    const heap = sides
      .map((side) => `${side} ${quantile(allocated[side] ?? [], 0.5).toFixed(0)} B`)
      .join(', ');
    console.log(`${op.id}: bare ${quantile(cpu.bare ?? [], 0.5).toFixed(1)} µs/call; heap/call ${heap}`);
    console.log(`  managed − bare ${show(diff('managed', 'bare'))}`);
    if (op.alt) {
      console.log(`  alt − bare     ${show(diff('alt', 'bare'))}`);
      console.log(`  managed − alt  ${show(diff('managed', 'alt'))}`);
    }
    // GC pauses inside the timed blocks, by side (a mark-compact of several ms in one block is tens of µs
    // per call of that block; if they keep landing on one side, the difference is the GC's, not the code's).
    await sleep(50);
    const gcBySide = sides.map((side) => {
      const mine = blocks.filter((block) => block.side === side);
      const inside = gcEntries.filter((entry) =>
        mine.some((b) => entry.start >= b.start && entry.start < b.end),
      );
      const major = inside.filter((entry) => entry.major);
      const ms = (/** @type {typeof inside} */ list) =>
        list.reduce((sum, entry) => sum + entry.duration, 0).toFixed(1);
      return `${side} ${inside.length - major.length} minor (${ms(inside.filter((e) => !e.major))} ms), ${major.length} major (${ms(major)} ms)`;
    });
    console.log(`  GC in timed blocks: ${gcBySide.join('; ')}`);
    blocks.length = 0;
    gcEntries.length = 0;
  }
}
