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
 */
import { runProbe } from './oss-pop-harness.mjs';

await runProbe('oss.mjs', process.argv[2] ?? 'cpu');
