/**
 * Probe (issue 14, not part of `pnpm bench`): does a ProxyOSSClient (and its `options`) stay a fast-mode
 * object once its views use it as a prototype? V8 turns an object that becomes a prototype into a
 * dictionary-mode object until loads through it have missed their inline caches often enough; loads ali-oss
 * makes through a view are slow until then. Two managed clients (get / put, as in the bench) and two bare
 * ones, SDK transport stubbed; prints `%HasFastProperties` of the managed clients as calls go on.
 *
 *   pnpm build && node --expose-gc --allow-natives-syntax bench/probes/oss-fast-props.mjs
 *   ALT=/abs/path/to/other/index.cjs node --expose-gc --allow-natives-syntax bench/probes/oss-fast-props.mjs
 */
import { startEmulator } from '../lib/processes.mjs';
import * as stub from '../lib/stub-transport.mjs';
import OSS from 'ali-oss';

const emulator = await startEmulator();
const { world } = emulator;
const { ManagedCredentialsProvider } = await import('managed-credentials');
const mod = process.env.ALT ? await import(process.env.ALT) : await import('managed-credentials-oss');
const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
await provider.getAccessKey(world.secretName);
const real = world.endpoints.oss;
const body = Buffer.alloc(1024, 'x');
const realBare = new OSS({ endpoint: real, bucket: world.bucket, ...world.staticKey });
await realBare.put('v.txt', body);
const port = Number(new URL(real).port);
stub.serveFromMemory(1201, await stub.recordAnswer(port, () => realBare.get('v.txt')));
stub.serveFromMemory(1202, await stub.recordAnswer(port, () => realBare.put('v.txt', body)));
const at = (p) => ({ endpoint: `http://127.0.0.1:${p}`, bucket: world.bucket });
const bareGet = new OSS({ ...at(1201), ...world.staticKey });
const barePut = new OSS({ ...at(1202), ...world.staticKey });
const managedGet = new mod.ProxyOSSClient(at(1201).endpoint, world.secretName, {
  provider,
  bucket: world.bucket,
});
const managedPut = new mod.ProxyOSSClient(at(1202).endpoint, world.secretName, {
  provider,
  bucket: world.bucket,
});
// Natives syntax in a Function body, so the file itself parses without --allow-natives-syntax.
const fast = new Function('o', 'return %HasFastProperties(o)');
const state = () =>
  [managedGet, managedGet.options, managedPut, managedPut.options]
    .map((o) => (fast(o) ? 'fast' : 'DICT'))
    .join(' ');
console.log('before any call:', state());
let calls = 0;
for (const round of [1, 2, 4, 16, 64, 256, 1024, 4096]) {
  while (calls < round) {
    await bareGet.get('v.txt');
    await managedGet.get('v.txt');
    await barePut.put('v.txt', body);
    await managedPut.put('v.txt', body);
    calls++;
  }
  console.log(`after ${calls} calls each (get client, its options, put client, its options):`, state());
}
await provider.close();
await emulator.close();
