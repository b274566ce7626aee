// @ts-check
/**
 * Probe (issue 14, not part of `pnpm bench`): heap retained per client, bare pop-core `RPCClient` /
 * `ROAClient` vs `ProxyRPCClient` / `ProxyROAClient` (and OSS for reference), N clients alive on one
 * secret, after full GCs — the method of `bench/workloads/memory.mjs`, with `%HasFastProperties` of one
 * client of each side (a dictionary-mode client is the usual cause of a large figure).
 *
 *   pnpm build && node --expose-gc --allow-natives-syntax bench/probes/pop-core-memory.mjs [clients=5000]
 */
import RPCClient from '@alicloud/pop-core';
import OSS from 'ali-oss';
import { startEmulator } from '../lib/processes.mjs';

const emulator = await startEmulator();
try {
  const { world } = emulator;
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const { ProxyRPCClient, ProxyROAClient } = await import('managed-credentials-pop-core');
  const { ProxyOSSClient } = await import('managed-credentials-oss');
  const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
  await provider.getAccessKey(world.secretName);
  const ROAClient = /** @type {any} */ (RPCClient).ROAClient;
  const key = world.staticKey;
  const endpoint = world.endpoints.ecs;
  const rpc = { endpoint, apiVersion: '2014-05-26' };
  const roa = { endpoint, apiVersion: '2015-12-15' };
  const oss = { endpoint: world.endpoints.oss, bucket: world.bucket };
  /** @type {[string, () => object, () => object][]} */
  const kinds = [
    [
      'RPC',
      () => new RPCClient({ ...rpc, ...key }),
      () => new ProxyRPCClient(rpc, world.secretName, { provider }),
    ],
    [
      'ROA',
      () => new ROAClient({ ...roa, ...key }),
      () => new ProxyROAClient(roa, world.secretName, { provider }),
    ],
    [
      'OSS',
      () => new OSS({ ...oss, ...key }),
      () => new ProxyOSSClient(oss.endpoint, world.secretName, { provider, bucket: oss.bucket }),
    ],
  ];
  const n = Number(process.argv[2] ?? 5000);
  const gc = /** @type {() => void} */ (globalThis.gc);
  const settled = () => (gc(), gc(), process.memoryUsage().heapUsed);
  const perClient = (/** @type {() => object} */ make) => {
    const before = settled();
    const clients = Array.from({ length: n }, make);
    const after = settled();
    if (clients.length !== n) throw new Error('unreachable');
    clients.length = 0;
    settled();
    return Math.round((after - before) / n);
  };
  const fast = (/** @type {object} */ o) => {
    try {
      return new Function('o', 'return %HasFastProperties(o)')(o) ? 'fast' : 'DICTIONARY';
    } catch {
      return '(run with --allow-natives-syntax)';
    }
  };
  for (const [name, bare, managed] of kinds) {
    perClient(bare);
    perClient(managed);
    /** @type {number[]} */ const b = [];
    /** @type {number[]} */ const m = [];
    for (let round = 0; round < 4; round++) {
      b.push(perClient(bare));
      m.push(perClient(managed));
    }
    const median = (/** @type {number[]} */ v) => [...v].sort((x, y) => x - y)[v.length >> 1] ?? NaN;
    console.log(
      `${name}: bare ${median(b)} B (${fast(bare())}), managed ${median(m)} B (${fast(managed())}), ` +
        `added ${median(m) - median(b)} B per client`,
    );
  }
  await provider.close();
} finally {
  await emulator.close();
}
