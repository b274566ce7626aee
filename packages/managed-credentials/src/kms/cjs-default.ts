/**
 * The default export of a CommonJS package compiled from TypeScript
 * (`exports.default = Class`). Node's ESM loader hands such a package's
 * `module.exports` to a default import, so the class is at `.default`;
 * loaders that unwrap it (bundlers, vitest) hand the class itself.
 */
export function cjsDefault<T>(imported: { default: T } | T): T {
  const unwrapped = (imported as { default?: T }).default;
  return unwrapped !== undefined && typeof imported !== 'function' ? unwrapped : (imported as T);
}
