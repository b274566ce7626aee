// @ts-check
/**
 * Probe (issue 14, not part of `pnpm bench`): where a managed client allocates per call beyond the bare one.
 * The bare and managed clients of one kind, SDK transport stubbed (`oss-pop-harness.mjs`); each side makes
 * PROBE_CALLS calls of each operation under V8's sampling heap profiler, counting objects a scavenge
 * already freed too. Prints bytes per call by allocating function, managed − bare, largest first. The
 * totals are the reliable figure: the JIT inlines differently in the two runs, so a callee's bytes can
 * move to its caller's row (a large positive row in SDK code is usually such a move, with its
 * counterpart among the negative rows).
 *
 *   pnpm build && node --expose-gc bench/probes/alloc-sites.mjs oss.mjs   # or pop-core.mjs
 */
import { Session } from 'node:inspector/promises';
import { runProbe } from './oss-pop-harness.mjs';

const CALLS = Number(process.env['PROBE_CALLS'] ?? 20_000);

await runProbe(process.argv[2] ?? 'oss.mjs', async (ops) => {
  const session = new Session();
  session.connect();
  try {
    for (const op of ops) {
      for (let i = 0; i < 5_000; i++) {
        await op.bare();
        await op.managed();
      }
      const bare = await bytesBySite(session, op.bare);
      const managed = await bytesBySite(session, op.managed);
      const total = (/** @type {Map<string, number>} */ m) =>
        [...m.values()].reduce((a, b) => a + b, 0) / CALLS;
      console.log(
        `${op.id}: bare ${total(bare).toFixed(0)} B/call, managed ${total(managed).toFixed(0)} B/call`,
      );
      const rows = [...new Set([...bare.keys(), ...managed.keys()])]
        .map((site) => ({
          site,
          'managed − bare B/call': ((managed.get(site) ?? 0) - (bare.get(site) ?? 0)) / CALLS,
        }))
        .filter((row) => Math.abs(row['managed − bare B/call']) >= 4)
        .sort((a, b) => b['managed − bare B/call'] - a['managed − bare B/call']);
      console.table(rows.slice(0, 30));
    }
  } finally {
    session.disconnect();
  }
});

/**
 * Bytes allocated per site (function and file) while `call` runs CALLS times.
 * @param {Session} session @param {() => Promise<unknown>} call
 */
async function bytesBySite(session, call) {
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < CALLS; i++) await call();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  /** @type {Map<string, number>} */
  const bytes = new Map();
  /** @param {import('node:inspector').HeapProfiler.SamplingHeapProfileNode} node */
  const walk = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    if (node.selfSize > 0) bytes.set(site, (bytes.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  return bytes;
}
