/**
 * Vitest global setup: tests that spawn `node` load the packages by name, so
 * through their `exports` and the CommonJS build in dist/. When a source file
 * is newer than that build (or it is missing), rebuild it once here (tsdown,
 * a few seconds) rather than let such a test run yesterday's code.
 * `pnpm test` builds first, so there this only compares timestamps.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { PUBLISHED_PACKAGES } from './published-packages.mjs';

const root = resolve(import.meta.dirname, '..');

export default function ensureBuilt() {
  const stale = PUBLISHED_PACKAGES.some(({ dir, entries = { index: 'src/index.ts' } }) => {
    const outputs = Object.keys(entries).map((name) => join(root, dir, 'dist', `${name}.cjs`));
    if (!outputs.every((file) => existsSync(file))) return true;
    const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
    return newest(join(root, dir, 'src')) > built;
  });
  if (!stale) return;
  const bin = join(
    createRequire(join(root, 'package.json')).resolve('tsdown/package.json'),
    '../dist/run.mjs',
  );
  execFileSync(process.execPath, [bin, '--config', 'tsdown.config.mjs', '--log-level', 'error'], {
    cwd: root,
    stdio: 'inherit',
  });
}

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
