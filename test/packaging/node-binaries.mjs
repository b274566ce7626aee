/**
 * Node.js binaries for the packaging matrix, from the npm registry's
 * `node-<platform>-<arch>` packages (the official builds), cached under
 * ~/.cache/managed-credentials-ci/node/<version>/ so repeat runs reuse them.
 * A fresh machine downloads them with `npm pack` (through npm's own cache).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const CACHE_DIR = join(
  process.env.MANAGED_CREDENTIALS_CI_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'managed-credentials-ci'),
  'node',
);

/**
 * Path of the `node` binary of `version`, downloading it on first use.
 * @param {string} version exact, e.g. `18.17.0`
 */
export async function nodeBinary(version) {
  const dir = join(CACHE_DIR, version);
  const binary = join(dir, 'bin', 'node');
  if (existsSync(binary)) return { binary, downloaded: false };
  const scratch = mkdtempSync(join(tmpdir(), `node-${version}-`));
  try {
    const spec = `node-${process.platform}-${process.arch}@${version}`;
    const { stdout } = await run('npm', ['pack', spec, '--silent', '--pack-destination', scratch], {
      cwd: scratch,
      maxBuffer: 1 << 20,
    });
    const tarball = join(scratch, stdout.trim().split('\n').pop());
    await run('tar', ['-xzf', tarball, '-C', scratch, 'package/bin/node']);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    renameSync(join(scratch, 'package', 'bin', 'node'), binary);
    return { binary, downloaded: true };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
