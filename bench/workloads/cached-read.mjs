// @ts-check
/**
 * Workload: what every call pays to get its key once the cache is warm —
 * `getAccessKey` (async) and `currentAccessKey` (sync) — against a bare
 * `await` of a resolved promise for scale.
 */

/**
 * @param {{ world: import('../lib/processes.mjs').World }} args
 */
export async function setup({ world }) {
  const { ManagedCredentialsProvider } = await import('managed-credentials');
  const provider = new ManagedCredentialsProvider({ config: world.pluginConfig });
  const { secretName } = world;
  await provider.getAccessKey(secretName);
  return {
    tasks: {
      /** @param {{ reads: number }} plan */
      async measure({ reads }) {
        const resolved = Promise.resolve(1);
        const bareAwaitNs = await nsPerOp(reads, async () => {
          await resolved;
        });
        const getAccessKeyNs = await nsPerOp(reads, async () => {
          await provider.getAccessKey(secretName);
        });
        const currentAccessKeyNs = syncNsPerOp(
          reads * 4,
          () => provider.currentAccessKey(secretName).generation,
        );
        return { reads, getAccessKeyNs, currentAccessKeyNs, bareAwaitNs };
      },
    },
    close: () => provider.close(),
  };
}

/**
 * Nanoseconds per call of `op` over `n` calls, after a warm-up of n/10.
 * @param {number} n
 * @param {() => unknown} op
 */
async function nsPerOp(n, op) {
  for (let i = 0; i < n / 10; i++) await op();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op();
  return Math.round(Number(process.hrtime.bigint() - started) / n);
}

/**
 * Like {@link nsPerOp} for a synchronous `op`, without an await per call.
 * @param {number} n
 * @param {() => number} op
 */
function syncNsPerOp(n, op) {
  let sink = 0;
  for (let i = 0; i < n / 10; i++) sink += op();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += op();
  const elapsed = Number(process.hrtime.bigint() - started);
  // Using the sum keeps the loop from being optimised away.
  if (sink < 0) throw new Error('unreachable');
  return Math.round(elapsed / n);
}
