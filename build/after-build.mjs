/**
 * What the build writes next to tsdown's CommonJS output, per package:
 * - `dist/types/package.json` (`"type": "commonjs"`): the declarations tsc
 *   emitted describe the CommonJS implementation, so TypeScript reads them as
 *   CommonJS for both conditions — what a `nodenext` CommonJS app on
 *   TypeScript < 5.8 needs (no TS1479), and what an ESM importer gets at runtime.
 * - `dist/THIRD-PARTY-LICENSES.txt`: the licence of every package bundled into
 *   the output (ESM-only dependencies such as p-retry are inlined).
 *
 * No ESM entry file: `import` and `require` both resolve to `dist/<entry>.cjs`
 * (Node's ESM loader finds the named exports in it), so the two share one
 * module instance — one default provider, one set of classes — and an ESM
 * application loads no extra module. A re-exporting `.js` entry cost a fresh
 * process about 15 ms per package import on Node 20 (issue 14, time to first call).
 */
import { readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** @param {string} packageDir */
export function writeTypesPackageJson(packageDir) {
  mkdirSync(join(packageDir, 'dist', 'types'), { recursive: true });
  writeFileSync(join(packageDir, 'dist', 'types', 'package.json'), '{ "type": "commonjs" }\n');
}

/**
 * Writes the licences of the node_modules packages whose code ended up in the
 * output (from the bundler's module ids); removes the file when none did.
 * @param {string} packageDir @param {Iterable<string>} moduleIds
 */
export function writeThirdPartyLicenses(packageDir, moduleIds) {
  const roots = new Set();
  for (const id of moduleIds) {
    const at = id.lastIndexOf(`${sep}node_modules${sep}`);
    if (at < 0) continue;
    const rest = id.slice(at + 14).split(sep);
    const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    roots.add(join(id.slice(0, at + 14), ...name.split('/')));
  }
  const target = join(packageDir, 'dist', 'THIRD-PARTY-LICENSES.txt');
  if (roots.size === 0) {
    rmSync(target, { force: true });
    return [];
  }
  const sections = [...roots].sort().map((root) => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(root).find((file) => /^licen[cs]e/i.test(file));
    const text = licenseFile
      ? readFileSync(join(root, licenseFile), 'utf8').trim()
      : `License: ${manifest.license}`;
    return `${manifest.name}@${manifest.version} (${manifest.license})\n\n${text}\n`;
  });
  writeFileSync(
    target,
    `Code from these packages is bundled into this package's dist/ files.\n\n${sections.join(`\n${'-'.repeat(72)}\n\n`)}`,
  );
  return [...roots].map((root) => relative(dirname(packageDir), root));
}
