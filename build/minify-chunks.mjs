/**
 * Minification of the published JavaScript (issue 14, import time): an
 * application compiles less source when it loads a package (the core's
 * implementation chunk: ~190 KB → ~80 KB, ~1.4 ms less compile time on the
 * development machine). Function and class names are kept: errors and classes
 * are matched by name, and stack traces stay readable (the source maps map
 * the rest).
 */

/** Rolldown's `minify` option. */
export const MINIFY = {
  compress: { keepNames: { function: true, class: true } },
  mangle: { keepNames: true },
};

/**
 * Node's ESM loader finds the export names of a CommonJS file with
 * cjs-module-lexer, which reads a re-export written as
 * `Object.defineProperty(exports, "name", { enumerable: true, get: function () { return m.name } })`
 * but not its minified form (`` `name` ``, `!0`): an ESM application would
 * miss `withCallOptions` that the adapters re-export from the core (the
 * packaging test's one-state check sees it). This plugin writes those lines
 * of the entry files (the small facades) in the form the lexer reads. (Each
 * rewrite is two characters longer, so later columns of a facade's source map
 * drift a little; a facade holds no logic to step through.)
 */
export function lexerReadableEntries() {
  const minified =
    /Object\.defineProperty\(exports,`([\w$]+)`,\{enumerable:!0,get:function\(\)\{return ([\w$.]+)\}\}\)/g;
  return {
    name: 'lexer-readable-entries',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk' || !file.isEntry) continue;
        file.code = file.code.replace(
          minified,
          'Object.defineProperty(exports,"$1",{enumerable:true,get:function(){return $2}})',
        );
        if (file.code.includes('Object.defineProperty(exports,`')) {
          throw new Error(
            `${file.fileName}: an export the ESM loader cannot see; extend lexerReadableEntries.`,
          );
        }
      }
    },
  };
}

/**
 * Every published chunk in ASCII: one non-ASCII character (a `…` in an error
 * message) makes V8 hold the whole file as two-byte text, which Node reads
 * and V8 compiles more slowly (the core's chunk: ~0.5 ms to read and ~0.3 ms
 * to compile on the development machine, in every process that loads it).
 * Each such character becomes a `\uXXXX` escape (UTF-16 code units, as JS
 * strings, templates and regular expressions read them), as esbuild's default
 * `charset: 'ascii'` does. (A line with such a character is a few characters
 * longer, so later columns of it drift a little in the source map.)
 */
export function asciiOnlyChunks() {
  return {
    name: 'ascii-only-chunks',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        file.code = file.code.replace(
          /[\u0080-\uffff]/g,
          (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
        );
      }
    },
  };
}
