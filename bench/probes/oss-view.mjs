/**
 * Probe (issue 14, not part of `pnpm bench`): does running ali-oss's `get` on a view of a client (an
 * object whose prototype is the client, with its own `options` — what ProxyOSSClient runs operations on)
 * cost CPU by itself? Sides: a bare client, a hand-made view of a second bare client, a ProxyOSSClient;
 * SDK transport stubbed, alternating blocks, CPU µs per call and the difference to bare.
 *
 *   pnpm build && node --expose-gc bench/probes/oss-view.mjs
 */
import { startEmulator } from '../lib/processes.mjs';
import * as stub from '../lib/stub-transport.mjs';
import OSS from 'ali-oss';
const emulator = await startEmulator();
const { world } = emulator;
const { ManagedCredentialsProvider } = await import('managed-credentials');
const { ProxyOSSClient } = await import('managed-credentials-oss');
const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
await provider.getAccessKey(world.secretName);
const real = world.endpoints.oss;
const realBare = new OSS({ endpoint: real, bucket: world.bucket, ...world.staticKey });
await realBare.put('v.txt', Buffer.alloc(1024, 'x'));
const answer = await stub.recordAnswer(Number(new URL(real).port), () => realBare.get('v.txt'));
stub.serveFromMemory(1201, answer);
const endpoint = 'http://127.0.0.1:1201';
const bare = new OSS({ endpoint, bucket: world.bucket, ...world.staticKey });
const bare2 = new OSS({ endpoint, bucket: world.bucket, ...world.staticKey });
const view = Object.create(bare2, {
  options: {
    value: Object.create(bare2.options, {
      accessKeyId: { value: world.staticKey.accessKeyId },
      accessKeySecret: { value: world.staticKey.accessKeySecret },
    }),
  },
});
const managed = new ProxyOSSClient(endpoint, world.secretName, { provider, bucket: world.bucket });
const sides = {
  bare: () => bare.get('v.txt'),
  view: () => view.get('v.txt'),
  managed: () => managed.get('v.txt'),
};
const names = Object.keys(sides);
for (let i = 0; i < 2000; i++) for (const n of names) await sides[n]();
const us = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < 30; r++)
  for (const n of r % 2 ? [...names].reverse() : names) {
    globalThis.gc?.({ type: 'minor' });
    const c = process.cpuUsage();
    for (let i = 0; i < 400; i++) await sides[n]();
    const u = process.cpuUsage(c);
    us[n].push((u.user + u.system) / 400);
  }
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
for (const n of names)
  console.log(n, med(us[n]).toFixed(2), 'diff vs bare', med(us[n].map((v, i) => v - us.bare[i])).toFixed(2));
await provider.close();
await emulator.close();
