// @ts-check
/**
 * Workload: what the plug-in costs code that never touches it — an `async`
 * function with an `await`, the pattern every application is made of. Two
 * such workers run side by side. Both load the same SDK clients and make one
 * bare call of each kind at set-up. Then, half-way through the measurement,
 * each runs its `switch` task: the treated worker (`usePlugin`) loads the
 * plug-in and makes a managed call of each kind — which would switch on any
 * process-wide hook (e.g. an AsyncLocalStorage's promise hook on Node 20, and
 * with it V8's lost PromiseHook protector); the control worker makes one more
 * bare call of each kind instead. The section compares the treated/control
 * ratio after the switch with the same ratio before it, so what differs
 * between the two processes anyway (JIT decisions, heap layout, CPU placement:
 * ±5 % and more between two fresh processes) cancels out.
 */
import { CLIENT_KINDS, loadKind } from '../clients/index.mjs';

/** The measured unit: an async function that awaits once. */
async function asyncWork() {
  await undefined;
  return 1;
}

/**
 * @param {{ world: import('../lib/processes.mjs').World, usePlugin: boolean }} args
 */
export async function setup({ world, usePlugin }) {
  const { region, bucket, secretName, staticKey: key } = world;
  /** @type {(() => Promise<void>)[]} */
  const closers = [];
  /** @type {{ module: import('../clients/index.mjs').KindModule, endpoint: string, bare: object }[]} */
  const kinds = [];
  for (const kind of CLIENT_KINDS) {
    const module = await loadKind(kind);
    const endpoint = world.endpoints[kind.service];
    const [first] = Object.values(module.operations);
    if (!first) continue;
    const bare = (await module.bareFactory({ endpoint, region, bucket, key }))();
    await first.prepare?.(bare);
    await first.call(bare);
    kinds.push({ module, endpoint, bare });
  }
  /** @type {import('managed-credentials').ManagedCredentialsProvider | undefined} */
  let provider;
  return {
    sides: { asyncAwait: asyncWork },
    tasks: {
      /** Treated: load and use the plug-in. Control: the same bare calls once more. */
      async switch() {
        if (usePlugin) {
          provider = new (await import('managed-credentials')).ManagedCredentialsProvider({
            config: world.pluginConfig,
          });
        }
        for (const { module, endpoint, bare } of kinds) {
          const [first] = Object.values(module.operations);
          if (!first) continue;
          if (provider) {
            const managed = (
              await module.managedFactory({ endpoint, region, bucket, secretName, provider })
            )();
            await first.call(managed);
            closers.push(async () => /** @type {{ close?: () => Promise<void> }} */ (managed).close?.());
          } else {
            await first.call(bare);
          }
        }
      },
    },
    async close() {
      for (const close of closers) await close();
      await provider?.close();
    },
  };
}
