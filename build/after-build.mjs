/**
 * What the build writes next to tsdown's CommonJS output, per package:
 * - `dist/<entry>.js`: the ESM entry, a re-export of `dist/<entry>.cjs` (and a
 *   `.d.ts` pointing at its declarations). One
 *   implementation per package means `import` and `require` in one process
 *   share one module instance: one default provider, one set of classes.
 * - `dist/types/package.json` (`"type": "commonjs"`): the declarations tsc
 *   emitted describe that CommonJS implementation, so TypeScript reads them as
 *   CommonJS for both conditions — what a `nodenext` CommonJS app on
 *   TypeScript < 5.8 needs (no TS1479), and what an ESM importer gets at runtime.
 * - `dist/THIRD-PARTY-LICENSES.txt`: the licence of every package bundled into
 *   the output (ESM-only dependencies such as p-retry are inlined).
 */
import { readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * @param {string} packageDir
 * @param {Record<string, string>} entries output name → source (`src/….ts`)
 */
export function writeEsmEntries(packageDir, entries) {
  for (const [name, source] of Object.entries(entries)) {
    const base = name.split('/').pop();
    const cjs = `./${base}.cjs`;
    writeFileSync(
      join(packageDir, 'dist', `${name}.js`),
      `// ESM entry: re-exports the CommonJS build so that import and require share one instance.\n` +
        `export * from '${cjs}';\nexport { default } from '${cjs}';\n`,
    );
    // Types next to the file, for repository code that imports it by path (the exports map names dist/types).
    const types = relative(dirname(join(packageDir, 'dist', name)), join(packageDir, 'dist', 'types'));
    const declaration = `${types}/${source.replace(/^src\//, '').replace(/\.ts$/, '.js')}`;
    writeFileSync(
      join(packageDir, 'dist', `${name}.d.ts`),
      `export * from '${declaration.startsWith('.') ? '' : './'}${declaration}';\n`,
    );
  }
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
