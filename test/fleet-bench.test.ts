/**
 * Smoke test of the fleet simulation (`pnpm bench:fleet`, issue 11): with a
 * small fleet it runs every scenario over the built core, prints the figures
 * and a PASS/FAIL line per target, and exits 0. The figures themselves belong
 * to the bench; only their presence is checked here.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('bench/fleet/run.mjs (a fleet of 50)', () => {
  it('runs the three scenarios on virtual time and checks each target', async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bench/fleet/run.mjs'],
        { cwd: root, timeout: 120_000, env: { ...process.env, FLEET_PROCESSES: '50' } },
        (error, stdout, stderr) =>
          resolve({
            code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
            stdout,
            stderr,
          }),
      );
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    for (const scenario of ['scheduled-rotation', 'abrupt-revoke', 'revoke-during-outage']) {
      expect(run.stdout).toContain(scenario);
    }
    expect(run.stdout).toMatch(/peak KMS req\/s/);
    expect(run.stdout.match(/^ {2}(PASS|FAIL) {2}/gm)).toHaveLength(1 + 4 + 3);
    expect(run.stdout).toMatch(/fleet targets: /);
  }, 150_000);
});
