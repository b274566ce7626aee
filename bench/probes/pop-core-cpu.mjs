// @ts-check
/**
 * Probe (issue 14, not part of `pnpm bench`): wrapper cost of `ProxyRPCClient` vs a bare pop-core RPCClient,
 * DescribeInstances, SDK transport stubbed, both in one process, alternating blocks.
 *
 *   pnpm build
 *   node --expose-gc bench/probes/pop-core-cpu.mjs            # CPU µs/call added + heap bytes allocated per call
 *   node --expose-gc bench/probes/pop-core-cpu.mjs promises   # promises per call (async_hooks; separate run)
 *
 * See `oss-pop-harness.mjs` for the method and PROBE_ROUNDS / PROBE_CALLS.
 */
import { runProbe } from './oss-pop-harness.mjs';

await runProbe('pop-core.mjs', process.argv[2] ?? 'cpu');
