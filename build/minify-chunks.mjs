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
