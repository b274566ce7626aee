/**
 * Probe (issue 14, not part of `pnpm bench`): what `provider.callWithAccessKey` itself costs per call —
 * the part of every adapter's figure that lives in the core — with a no-op async call, vs calling it
 * directly: heap bytes allocated per call and CPU ns per call (alternating blocks, one process).
 *
 *   pnpm build && node --expose-gc bench/probes/oss-core-call.mjs
 */
import { startEmulator } from '../lib/processes.mjs';
const emulator = await startEmulator();
const { world } = emulator;
const { ManagedCredentialsProvider } = await import('managed-credentials');
const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
await provider.getAccessKey(world.secretName);
const opts = { trackCallContext: false };
const fn = async () => 1;
const direct = () => fn();
const managed = () => provider.callWithAccessKey(world.secretName, () => fn(), opts);
for (let i = 0; i < 20000; i++) {
  await direct();
  await managed();
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (const [n, f] of [
  ['direct', direct],
  ['managed', managed],
  ['direct', direct],
  ['managed', managed],
]) {
  globalThis.gc?.({ type: 'minor' });
  await sleep(2);
  const h = process.memoryUsage().heapUsed;
  for (let i = 0; i < 200; i++) await f();
  const d = process.memoryUsage().heapUsed - h;
  const c = process.cpuUsage();
  for (let i = 0; i < 200000; i++) await f();
  const u = process.cpuUsage(c);
  console.log(
    n,
    (d / 200).toFixed(0),
    'B/call',
    (((u.user + u.system) / 200000) * 1000).toFixed(0),
    'ns/call',
  );
}
await provider.close();
await emulator.close();
