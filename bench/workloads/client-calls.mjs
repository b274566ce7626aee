// @ts-check
/**
 * Workload: the bare and the managed client of every kind and operation in
 * ONE process, with the plug-in loaded and a managed call made before any
 * block, so both sides run with the same process-wide state (loaded modules,
 * JIT, heap, any async-context hooks). What differs is only the wrapper's
 * per-call work. (What loading the plug-in costs every other promise of the
 * process is its own figure: `promise-tax.mjs`.)
 *
 * `transport: 'stub'` serves every business request from memory with the
 * answer fake-cloud gave to one real call (see `lib/stub-transport.mjs`);
 * `'loopback'` talks to fake-cloud over 127.0.0.1.
 */
import { CLIENT_KINDS, loadKind } from '../clients/index.mjs';

/** The options the adapters call `callWithAccessKey` with by default (no call frame). */
const ADAPTER_CALL_OPTIONS = Object.freeze({ trackCallContext: false });

/**
 * `client` behind a Proxy that only forwards each method call to it (one shared forwarder per method,
 * as the managed clients do): what the Proxy half of the tea wrapper costs without the core.
 * @param {object} client
 */
function forwardingProxy(client) {
  /** @type {WeakMap<Function, Function>} */
  const forwarders = new WeakMap();
  return new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      let forwarder = forwarders.get(value);
      if (!forwarder) {
        forwarder = function (/** @type {unknown[]} */ ...args) {
          return Reflect.apply(value, target, args);
        };
        forwarders.set(value, forwarder);
      }
      return forwarder;
    },
  });
}

/** Ports where nothing listens (below the ephemeral range, so never a fake-cloud port). */
let nextStubPort = 1001;

/**
 * @param {{ world: import('../lib/processes.mjs').World, transport: 'stub' | 'loopback', kinds?: string[] }} args
 *   `kinds`: only these client kinds (ids in clients/index.mjs); all by default
 */
export async function setup({ world, transport, kinds }) {
  const stub = transport === 'stub' ? await import('../lib/stub-transport.mjs') : undefined;
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
  await provider.getAccessKey(world.secretName);
  const { region, bucket, secretName, staticKey: key } = world;

  /** @type {Record<string, () => Promise<unknown>>} */
  const sides = {};
  /** @type {{ id: string, kind: string, label: string }[]} */
  const operations = [];
  /** @type {object[]} */
  const managedClients = [];
  for (const kind of CLIENT_KINDS.filter((k) => !kinds || kinds.includes(k.id))) {
    const module = await loadKind(kind);
    const real = world.endpoints[kind.service];
    const realBare = (await module.bareFactory({ endpoint: real, region, bucket, key }))();
    for (const [opId, operation] of Object.entries(module.operations)) {
      await operation.prepare?.(realBare);
      let endpoint = real;
      if (stub) {
        const answer = await stub.recordAnswer(Number(new URL(real).port), () => operation.call(realBare));
        const port = nextStubPort++;
        stub.serveFromMemory(port, answer);
        endpoint = `http://127.0.0.1:${port}`;
      }
      const bare = (await module.bareFactory({ endpoint, region, bucket, key }))();
      const managed = (await module.managedFactory({ endpoint, region, bucket, secretName, provider }))();
      managedClients.push(managed);
      // One call each before any block: the managed one makes the plug-in's process-wide state real.
      await operation.call(bare);
      await operation.call(managed);
      const id = `${kind.id}.${opId}`;
      sides[`${id}.bare`] = () => operation.call(bare);
      // A second bare client, built the same way: the loopback control's other side.
      const otherBare = (await module.bareFactory({ endpoint, region, bucket, key }))();
      await operation.call(otherBare);
      sides[`${id}.otherBare`] = () => operation.call(otherBare);
      sides[`${id}.managed`] = () => operation.call(managed);
      // The wrapper-CPU breakdown: each half of the managed client's wrapper on its own, around the bare one.
      const forwarding = forwardingProxy(bare);
      sides[`${id}.forwardingProxy`] = () => operation.call(forwarding);
      sides[`${id}.coreAroundBare`] = () =>
        provider.callWithAccessKey(secretName, () => operation.call(bare), ADAPTER_CALL_OPTIONS);
      operations.push({ id, kind: kind.id, label: operation.label });
    }
  }

  // For scale in the self-check: the core's call around an attempt that does nothing. With the planted
  // work switched on for one side only, the rise is what the plant costs outside an SDK call.
  const nothing = () => Promise.resolve();
  sides['reference.coreAroundNothing'] = () =>
    provider.callWithAccessKey(secretName, nothing, ADAPTER_CALL_OPTIONS);

  return {
    sides,
    info: { operations },
    async close() {
      for (const client of managedClients)
        await /** @type {{ close?: () => Promise<void> }} */ (client).close?.();
      await provider.close();
    },
  };
}
