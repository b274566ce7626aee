/**
 * Build of every published package (listed in build/published-packages.mjs):
 * tsdown (Rolldown) writes one CommonJS implementation per entry, with
 * ESM-only dependencies (devDependencies such as p-retry) inlined so the
 * output runs on every Node in `engines`, and which both `import` and
 * `require` load (see build/after-build.mjs). Declarations come from `tsc -b` (dist/types),
 * which runs first (`pnpm build`).
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import semver from 'semver';
import { defineConfig } from 'tsdown';
import { PUBLISHED_PACKAGES } from './build/published-packages.mjs';
import { writeThirdPartyLicenses, writeTypesPackageJson } from './build/after-build.mjs';
import { asciiOnlyChunks, lexerReadableEntries, MINIFY } from './build/minify-chunks.mjs';

const root = import.meta.dirname;
/** Source files loaded when a package is imported (see `codeSplitting` below). */
const EAGER_SOURCE = /[\\/]src[\\/](?!cli[\\/])(?!kms[\\/]dedicated[\\/]messages\.ts$)/;

export default defineConfig(
  PUBLISHED_PACKAGES.map(({ dir, entries = { index: 'src/index.ts' } }) => {
    const packageDir = resolve(root, dir);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    assertRequirableDependencies(packageDir, manifest);
    return {
      name: manifest.name,
      cwd: packageDir,
      entry: entries,
      format: 'cjs',
      platform: 'node',
      // The oldest Node in `engines`; the packaging test runs the output there.
      target: `node${semver.minVersion(manifest.engines.node).version}`,
      tsconfig: join(packageDir, 'tsconfig.json'),
      dts: false,
      sourcemap: true,
      hash: false,
      // tsc writes dist/types first: clean only what this build writes.
      clean: ['dist/*.cjs', 'dist/*.cjs.map', 'dist/*.js', 'dist/cli', 'dist/secret'],
      logLevel: 'warn',
      deps: { onlyBundle: false },
      // Less source to compile on import; names kept (see build/minify-chunks.mjs).
      minify: MINIFY,
      plugins: [lexerReadableEntries(), asciiOnlyChunks()],
      outputOptions: {
        // The modules an entry loads at once go into one chunk, so each entry file (dist/<entry>.cjs) is a
        // small facade listing its exports: that facade is all Node's ESM loader scans for export names
        // (cjs-module-lexer, slow on a cold process) when an ESM application imports the package, not
        // ~180 KB of implementation (issue 14, import cost). Left to the default split: the CLI's own
        // modules and what is loaded on first use only (import()).
        codeSplitting: { groups: [{ name: 'implementation', test: EAGER_SOURCE }] },
        // `import()` of a dependency (loaded on first use) becomes `require()`: no ESM loader, no lexing of
        // the dependency's CommonJS source, and bundlers see an ordinary require.
        dynamicImportInCjs: false,
      },
      hooks: {
        'build:done': ({ chunks }) => {
          writeTypesPackageJson(packageDir);
          writeThirdPartyLicenses(
            packageDir,
            chunks.flatMap((chunk) => ('moduleIds' in chunk ? chunk.moduleIds : [])),
          );
        },
      },
    };
  }),
);

/**
 * Every runtime `dependency` stays external, so it must load with `require()`
 * on the oldest Node we support. An ESM-only one belongs in devDependencies,
 * where the build inlines it.
 */
function assertRequirableDependencies(packageDir, manifest) {
  const requireFrom = createRequire(join(packageDir, 'package.json'));
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    // Workspace packages are built the same way; @types packages hold no code.
    if (manifest.dependencies[name].startsWith('workspace:') || name.startsWith('@types/')) continue;
    let resolved;
    try {
      resolved = requireFrom.resolve(name);
    } catch (error) {
      if (error.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    }
    const esmOnly = resolved === undefined || resolved.endsWith('.mjs') || isEsmJs(resolved);
    if (esmOnly) {
      throw new Error(
        `${manifest.name}: dependency "${name}" is ESM-only, so require() of the CommonJS build fails on Node < 20.19. ` +
          'Move it to devDependencies: the build then inlines it.',
      );
    }
  }
}

/** A `.js` file is ESM when the nearest package.json says `"type": "module"`. */
function isEsmJs(file) {
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifestPath = join(dir, 'package.json');
    if (existsSync(manifestPath)) return JSON.parse(readFileSync(manifestPath, 'utf8')).type === 'module';
  }
  return false;
}
