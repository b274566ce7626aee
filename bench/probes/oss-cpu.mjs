// @ts-check
/**
 * Probe (issue 14, not part of `pnpm bench`): wrapper cost of `ProxyOSSClient` vs a bare ali-oss client,
 * get and put of 1 KiB, SDK transport stubbed, both in one process, alternating blocks.
 *
 *   pnpm build
 *   node --expose-gc bench/probes/oss-cpu.mjs            # CPU µs/call added + heap bytes allocated per call
 *   node --expose-gc bench/probes/oss-cpu.mjs promises   # promises per call (async_hooks; separate run)
 *
 * See `oss-pop-harness.mjs` for the method and PROBE_ROUNDS / PROBE_CALLS.
 *
 * The bimodal OSS figure of the bench: a block starts after a forced scavenge, so it pays a scavenge only
 * when its allocation (calls × bytes per call; ~39 KB per bare get) passes what the young generation has
 * free (~15.7 MiB). A side allocating a few KB more per call crosses that line at fewer calls per block
 * than the other, and then pays a whole scavenge (ms) per block — µs per call. With the previous build as
 * PROBE_ALT (+3.1 KB per call): PROBE_CALLS=340 → every side 12 scavenges in 20 blocks, alt − bare
 * −0.5 µs; PROBE_CALLS=400 → alt 30, bare 11, alt − bare +7.6 µs (the "GC in timed blocks" line).
 */
import { runProbe } from './oss-pop-harness.mjs';

await runProbe('oss.mjs', process.argv[2] ?? 'cpu');
