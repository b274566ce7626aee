/**
 * Every package our packages pull in at runtime (their `dependencies`,
 * transitively, as npm installed them in the app) must accept each Node of
 * the matrix in its own `engines` field: npm warns (or, with engine-strict,
 * refuses) otherwise, and such a package may use newer Node APIs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';

/**
 * @param {string} appDir @param {string[]} roots our package names @param {string[]} versions Node versions
 * @returns {string[]} problems
 */
export function checkEngines(appDir, roots, versions) {
  const problems = [];
  const seen = new Set();
  const queue = roots.map((name) => join(appDir, 'node_modules', name));
  while (queue.length > 0) {
    const dir = queue.shift();
    if (seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const range = manifest.engines?.node;
    if (range) {
      const refused = versions.filter((version) => !semver.satisfies(version, range));
      if (refused.length > 0)
        problems.push(
          `${manifest.name}@${manifest.version} engines.node "${range}" refuses ${refused.join(', ')}`,
        );
    }
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const found = locate(dir, name);
      if (found) queue.push(found);
      else if (!manifest.optionalDependencies?.[name])
        problems.push(`${manifest.name}: dependency ${name} is not installed`);
    }
  }
  return problems;
}

/** Node's lookup: <dir>/node_modules/<name>, then each parent's node_modules. */
function locate(from, name) {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}
