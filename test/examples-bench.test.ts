/**
 * Smoke test of `pnpm bench` (issues 6 and 14): with BENCH_QUICK=1 (tiny
 * counts) it runs every section against the built packages — fake cloud and
 * workers in their own processes — exits 0, prints the summary of targets and
 * writes the JSON document. No speed figure is asserted (timing assertions
 * would be flaky and prove nothing): only that every target is reported with
 * a PASS/FAIL computed by the run, and the correctness outcomes of the
 * rotation storm.
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

interface Check {
  figure: string;
  measured: string;
  target: string;
  result: string;
}

interface BenchDocument {
  quick: boolean;
  results: {
    rotationStorm: {
      kmsFetches: number;
      userVisibleFailures: number;
      rejectedByCloud: number;
      inFlight: number;
    };
    memory: { clients: number };
    cachedKeyRead: { getAccessKeyNs: number };
    fleet: { processes: number; policy: { kmsRequests: number } };
  } & Record<string, unknown>;
  summary: Check[];
}

describe('bench/run.mjs (BENCH_QUICK=1)', () => {
  it('runs every section, reports every target with PASS/FAIL, exits 0 and writes the figures as JSON', async () => {
    const file = join(dir, 'latest.json');
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--expose-gc', 'bench/run.mjs'],
        { cwd: root, timeout: 170_000, env: { ...process.env, BENCH_QUICK: '1', BENCH_RESULTS_FILE: file } },
        (error, stdout, stderr) =>
          resolve({
            code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
            stdout,
            stderr,
          }),
      );
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('summary: issue 14 targets');

    const document = JSON.parse(readFileSync(file, 'utf8')) as BenchDocument;
    expect(document.quick).toBe(true);
    const { results, summary } = document;
    for (const id of [
      'wrapperCpu',
      'loopback',
      'promiseTax',
      'memory',
      'import',
      'rotationStorm',
      'cachedKeyRead',
      'fleet',
    ]) {
      expect(results[id], id).toBeDefined();
    }
    const rows = (prefix: string) => summary.filter((check) => check.figure.startsWith(prefix));
    // ECS get, OSS get, OSS put each get a CPU and a loopback figure; each client kind a memory figure.
    // One row per operation of every client kind (bench/clients/index.mjs): ECS get, OSS get and put,
    // pop-core RPC get; one heap row per kind.
    expect(rows('wrapper CPU per call')).toHaveLength(4);
    expect(rows('loopback median ratio')).toHaveLength(4);
    expect(rows('added heap per client')).toHaveLength(3);
    for (const prefix of [
      'self-check: planted 2 µs delay',
      'promise tax',
      'heavy modules loaded, ak config',
      'time to first call',
      'rotation storm: KMS fetches',
      'rotation storm: user-visible failures',
      'rotation storm: added p99',
    ]) {
      expect(rows(prefix), prefix).toHaveLength(1);
    }
    for (const check of summary) {
      expect(['PASS', 'FAIL'], check.figure).toContain(check.result);
      expect(check.target, check.figure).not.toBe('');
      expect(check.measured, check.figure).not.toMatch(/NaN|undefined/);
    }

    // Correctness, not speed: every in-flight call was rejected, one KMS fetch served them, none failed.
    expect(results.rotationStorm.rejectedByCloud).toBe(results.rotationStorm.inFlight);
    expect(results.rotationStorm.kmsFetches).toBe(1);
    expect(results.rotationStorm.userVisibleFailures).toBe(0);
    expect(results.memory.clients).toBeGreaterThan(0);
    expect(results.cachedKeyRead.getAccessKeyNs).toBeGreaterThan(0);
    expect(results.fleet.policy.kmsRequests).toBe(results.fleet.processes);
  }, 180_000);
});
