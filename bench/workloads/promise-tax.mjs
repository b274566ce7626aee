// @ts-check
/**
 * Workload: what the plug-in costs code that never touches it — an `async`
 * function with an `await`, the pattern every application is made of. Two
 * such workers run side by side; they are identical (same SDK clients, one
 * bare call of each) except that one also loads the plug-in and makes a
 * managed call of each kind, which would switch on any process-wide hook
 * (e.g. an AsyncLocalStorage's promise hook on Node 20).
 */
import { CLIENT_KINDS, loadKind } from '../clients/index.mjs';

/** The measured unit: an async function that awaits once. */
async function asyncWork() {
  await undefined;
  return 1;
}

/**
 * @param {{ world: import('../lib/processes.mjs').World, loadPlugin: boolean }} args
 */
export async function setup({ world, loadPlugin }) {
  const { region, bucket, secretName, staticKey: key } = world;
  /** @type {(() => Promise<void>)[]} */
  const closers = [];
  const provider = loadPlugin
    ? new (await import('managed-credentials')).ManagedCredentialsProvider({ config: world.pluginConfig })
    : undefined;
  for (const kind of CLIENT_KINDS) {
    const module = await loadKind(kind);
    const endpoint = world.endpoints[kind.service];
    const [first] = Object.values(module.operations);
    if (!first) continue;
    const bare = (await module.bareFactory({ endpoint, region, bucket, key }))();
    await first.prepare?.(bare);
    await first.call(bare);
    if (provider) {
      const managed = (await module.managedFactory({ endpoint, region, bucket, secretName, provider }))();
      await first.call(managed);
      closers.push(async () => /** @type {{ close?: () => Promise<void> }} */ (managed).close?.());
    }
  }
  return {
    sides: { asyncAwait: asyncWork },
    async close() {
      for (const close of closers) await close();
      await provider?.close();
    },
  };
}
