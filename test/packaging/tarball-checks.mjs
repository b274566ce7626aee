/**
 * What every packed tarball must hold (release hygiene, issue 12): licence,
 * README with an Install section, changelog, the files its package.json
 * points at, complete metadata, no build caches, no `workspace:` ranges, code
 * in ASCII, and source maps whose sources resolve inside the tarball (or are embedded).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** @param {string} dir the extracted `package/` directory @returns {string[]} problems */
export function checkTarball(dir) {
  const problems = [];
  const files = listFiles(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const required of ['LICENSE', 'README.md', 'CHANGELOG.md']) {
    if (!files.includes(required)) problems.push(`missing ${required}`);
  }
  if (files.includes('README.md') && !/^## Install/m.test(readFileSync(join(dir, 'README.md'), 'utf8'))) {
    problems.push('README.md has no "## Install" section');
  }
  for (const file of files) {
    if (/\.tsbuildinfo$|(^|\/)\.tsbuildinfo/.test(file)) problems.push(`ships a build cache: ${file}`);
    if (/(^|\/)(test|node_modules)\//.test(file)) problems.push(`ships ${file}`);
  }
  for (const target of pointedAt(manifest)) {
    if (!existsSync(join(dir, target)))
      problems.push(`package.json points at ${target}, which is not in the tarball`);
  }
  if (!/^0\./.test(manifest.version)) problems.push(`version ${manifest.version} is not 0.x`);
  if (manifest.license !== 'Apache-2.0') problems.push(`license is ${manifest.license}`);
  for (const field of [
    'repository.url',
    'homepage',
    'bugs.url',
    'engines.node',
    'keywords.0',
    'description',
  ]) {
    if (!field.split('.').reduce((value, key) => value?.[key], manifest)) problems.push(`no ${field}`);
  }
  for (const kind of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[kind] ?? {})) {
      if (range.startsWith('workspace:')) problems.push(`${kind}.${name} is ${range}`);
    }
  }
  // A non-ASCII character makes the whole file two-byte text to V8: slower to load (build/minify-chunks.mjs).
  for (const code of files.filter((file) => /\.c?js$/.test(file))) {
    if (/[\u0080-\uffff]/.test(readFileSync(join(dir, code), 'utf8'))) problems.push(`${code} is not ASCII`);
  }
  for (const map of files.filter((file) => file.endsWith('.map'))) {
    const {
      sources = [],
      sourcesContent = [],
      sourceRoot = '',
    } = JSON.parse(readFileSync(join(dir, map), 'utf8'));
    sources.forEach((source, index) => {
      if (typeof sourcesContent[index] === 'string') return;
      const target = resolve(dir, dirname(map), sourceRoot, source);
      if (relative(dir, target).startsWith('..') || !existsSync(target)) {
        problems.push(`${map}: source ${source} does not resolve inside the tarball`);
      }
    });
  }
  return problems;
}

/** Every file path the manifest names: main, types, bin, and each exports target. */
function pointedAt(manifest) {
  const targets = new Set();
  const walk = (value) => {
    if (typeof value === 'string') targets.add(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([manifest.main, manifest.types, manifest.bin, manifest.exports]);
  return [...targets].filter((target) => target.startsWith('./') && !target.includes('*'));
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const path = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, path)).isDirectory() ? listFiles(dir, path) : [path];
  });
}
