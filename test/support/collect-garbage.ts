import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
// A fresh context compiled after the flag was set has `gc`; the test process needs no command-line flag.
const gc = runInNewContext('gc') as () => void;

/**
 * Collects garbage until `done()` holds, letting FinalizationRegistry
 * callbacks (which run as tasks after a collection) go between rounds.
 * Bounded in rounds, not in time; `false` when `done()` never held.
 */
export async function collectGarbageUntil(done: () => boolean, rounds = 20): Promise<boolean> {
  for (let round = 0; round < rounds; round += 1) {
    if (done()) return true;
    gc();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return done();
}
