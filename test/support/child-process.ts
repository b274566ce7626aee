/**
 * Runs a user program in a child `node` process and reports how it ended: its
 * exit code, whether it had to be killed, its output, and when it exited (to
 * tell how long it lingered after its last line).
 */
import { execFile } from 'node:child_process';

export interface ChildExit {
  /** The exit code, or null when the child was killed. */
  code: number | null;
  /** True when the child did not exit by itself within the deadline. */
  killed: boolean;
  stdout: string;
  stderr: string;
  /** Date.now() when the parent saw the child exit. */
  exitedAt: number;
}

/**
 * Children of one test file running at once. More than the machine's cores only slows each down: the
 * linger measured from a child's last line would then measure the machine's load, not the child.
 */
const MAX_RUNNING = 2;
let running = 0;
const queued: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => queued.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    queued.shift()?.();
  };
}

/** Runs `node <args>`; at most {@link MAX_RUNNING} at once per test file, the deadline counts from the start. */
export async function runNode(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; deadlineMs: number },
): Promise<ChildExit> {
  const release = await slot();
  try {
    return await spawnNode(args, options);
  } finally {
    release();
  }
}

function spawnNode(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; deadlineMs: number },
): Promise<ChildExit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.deadlineMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const exitedAt = Date.now();
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, killed: error?.killed === true, stdout, stderr, exitedAt });
      },
    );
  });
}

/**
 * How long a program may run on after its last line before the test calls it
 * lingering: a held timer or socket keeps it for seconds to minutes, a clean
 * exit takes milliseconds (plus a busy machine's scheduling).
 */
export const MAX_LINGER_MS = 2_000;

/** The last stdout line of a child, parsed as JSON (every fixture ends by printing one). */
export function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}
