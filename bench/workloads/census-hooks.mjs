// @ts-check
/** Module hooks of the import census (`first-call.mjs --census`, and test/fixtures/sdk-family-child.mjs): report every resolved module URL. */

/** @type {import('node:worker_threads').MessagePort | undefined} */
let port;

/** @param {{ port: import('node:worker_threads').MessagePort }} data */
export function initialize(data) {
  port = data.port;
}

/**
 * @param {string} specifier
 * @param {unknown} context
 * @param {(specifier: string, context: unknown) => Promise<{ url: string }>} next
 */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  port?.postMessage(resolved.url);
  return resolved;
}
