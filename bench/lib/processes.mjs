// @ts-check
/**
 * Child processes of the bench: the emulator, and workers that each load one
 * workload module (`bench/workloads/*.mjs`) in a fresh Node process.
 */
import { execFileSync, fork } from 'node:child_process';
import { connect } from './ipc.mjs';

/**
 * @typedef {Awaited<ReturnType<typeof startEmulator>>} Emulator
 * @typedef {{ region: string, bucket: string, secretName: string,
 *   endpoints: { ecs: string, oss: string, kms: string },
 *   pluginConfig: Record<string, string>, ecsRamRoleConfig: Record<string, string>,
 *   staticKey: { accessKeyId: string, accessKeySecret: string } }} World
 */

/** Starts the fake cloud in its own process. */
export async function startEmulator() {
  const child = fork(new URL('./emulator-child.mjs', import.meta.url), [], { stdio: 'inherit' });
  await readyOf(child);
  const request = connect(child);
  /** @type {World} */
  const world = await request('world');
  return {
    world,
    /** Runs a method of `emulator-child.mjs`. */
    request,
    async close() {
      await request('close');
      await exitOf(child);
    },
  };
}

/**
 * V8 flags of workers whose blocks must not be cut by a scavenge: a young
 * generation this large holds a whole block's garbage (blocks are sized to
 * allocate at most half of it, see `calibrate`), so the only scavenge is the
 * one every block ends with — charged to the block, the same work for each
 * side, instead of landing in whichever block happens to fill the space.
 */
export const WHOLE_BLOCK_YOUNG_GENERATION = ['--min-semi-space-size=64', '--max-semi-space-size=64'];

/** Bytes a block may allocate with {@link WHOLE_BLOCK_YOUNG_GENERATION} (half the semi-space). */
export const BLOCK_ALLOCATION_BUDGET = 32 * 1024 * 1024;

/**
 * Forks a worker that loads `workload` and runs its `setup(args)`; its own
 * requests (`control`) are relayed to the emulator.
 * @param {URL} workload
 * @param {unknown} args
 * @param {Emulator} emulator
 * @param {{ v8Flags?: string[], cpu?: number }} [options] extra V8 flags of the worker; `cpu`: pin the worker
 *   (all its threads) to that CPU where `taskset` exists (see {@link pinnedTo})
 */
export async function startWorker(workload, args, emulator, options = {}) {
  const child = fork(new URL('./worker.mjs', import.meta.url), [workload.href], {
    stdio: 'inherit',
    execArgv: ['--expose-gc', ...(options.v8Flags ?? [])],
  });
  const pinned = options.cpu === undefined ? false : pinnedTo(child, options.cpu);
  await readyOf(child);
  const request = connect(child, {
    control: (/** @type {string} */ method, /** @type {unknown[]} */ ...rest) =>
      emulator.request(method, ...rest),
  });
  /** What the workload's setup returned as `info`. */
  const info = await request('setup', args);
  return {
    request,
    info,
    /** Whether the worker runs pinned to the CPU asked for. */
    pinned,
    async close() {
      child.disconnect();
      await exitOf(child);
    },
  };
}

/**
 * Pins a process (every thread) to one CPU with Linux's `taskset`. Two processes compared with each
 * other must run on the same CPU: on a 2-vCPU VM one CPU can be slower than the other for minutes
 * (the host's load), and which CPU a process lands on changes while it runs. False where `taskset`
 * is missing or refuses.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} cpu
 */
function pinnedTo(child, cpu) {
  if (child.pid === undefined) return false;
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(child.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    // No taskset (not Linux, or util-linux missing): the figure is taken unpinned, and says so.
    return false;
  }
}

/** @param {import('node:child_process').ChildProcess} child */
function readyOf(child) {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before it was ready`)));
    child.on('message', function onMessage(message) {
      if (/** @type {{ kind?: string }} */ (message)?.kind !== 'ready') return;
      child.off('message', onMessage);
      child.removeAllListeners('exit');
      resolve(undefined);
    });
  });
}

/** @param {import('node:child_process').ChildProcess} child */
function exitOf(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(undefined);
    else child.once('exit', resolve);
  });
}
