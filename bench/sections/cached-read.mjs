// @ts-check
/** Cached key read (for reference, no target): what reading a warm key costs, in a fresh worker. */
import { startWorker } from '../lib/processes.mjs';
import { workload } from '../lib/workloads.mjs';

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'cachedKeyRead',
  title: 'cached key read (warm cache, for reference)',
  async run({ quick, emulator, world }) {
    const worker = await startWorker(workload('cached-read'), { world }, emulator);
    try {
      const cached = await worker.request('task', 'measure', { reads: quick ? 1_000 : 1_000_000 });
      return {
        result: cached,
        table: {
          'await provider.getAccessKey(name)': { 'ns/op': cached.getAccessKeyNs },
          'provider.currentAccessKey(name) (sync)': { 'ns/op': cached.currentAccessKeyNs },
          'for scale: await of a resolved promise': { 'ns/op': cached.bareAwaitNs },
        },
      };
    } finally {
      await worker.close();
    }
  },
};
