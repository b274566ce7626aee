/**
 * Smoke test of `pnpm bench` (issue 6): with BENCH_QUICK=1 (tiny counts) it
 * runs every benchmark against the built packages, exits 0 and writes the JSON
 * document. No figure is asserted beyond the correctness targets of the
 * rotation storm: timing assertions would be flaky and prove nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'managed-credentials-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface BenchDocument {
  quick: boolean;
  results: {
    perCallOverhead: { ecsDescribeInstances: { bare: { n: number }; managed: { n: number } } };
    cachedKeyRead: { getAccessKeyNs: number };
    rotationStorm: {
      kmsFetches: number;
      userVisibleFailures: number;
      rejectedByCloud: number;
      inFlight: number;
    };
    memory: { clients: number };
    fleet: { processes: number; policy: { kmsRequests: number } };
  };
}

describe('bench/run.mjs (BENCH_QUICK=1)', () => {
  it('runs every benchmark, exits 0 and writes the figures as JSON', async () => {
    const file = join(dir, 'latest.json');
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--expose-gc', 'bench/run.mjs'],
        { cwd: root, timeout: 80_000, env: { ...process.env, BENCH_QUICK: '1', BENCH_RESULTS_FILE: file } },
        (error, stdout, stderr) =>
          resolve({
            code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
            stdout,
            stderr,
          }),
      );
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    for (const heading of [
      '1. per-call overhead',
      '2. cached key read',
      '3. rotation storm',
      '4. memory',
      '5. fleet',
    ]) {
      expect(run.stdout).toContain(heading);
    }

    const document = JSON.parse(readFileSync(file, 'utf8')) as BenchDocument;
    expect(document.quick).toBe(true);
    const { results } = document;
    expect(results.perCallOverhead.ecsDescribeInstances.managed.n).toBeGreaterThan(0);
    expect(results.cachedKeyRead.getAccessKeyNs).toBeGreaterThan(0);
    // Correctness, not speed: every in-flight call was rejected, one KMS fetch served them, none failed.
    expect(results.rotationStorm.rejectedByCloud).toBe(results.rotationStorm.inFlight);
    expect(results.rotationStorm.kmsFetches).toBe(1);
    expect(results.rotationStorm.userVisibleFailures).toBe(0);
    expect(results.memory.clients).toBeGreaterThan(0);
    expect(results.fleet.policy.kmsRequests).toBe(results.fleet.processes);
  }, 90_000);
});
