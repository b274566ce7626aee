// @ts-check
/** Where the workload modules are, and the types every section shares. */

/**
 * @typedef {{ quick: boolean, emulator: import('./processes.mjs').Emulator, world: import('./processes.mjs').World }} SectionContext
 * @typedef {{ result: unknown, table?: Record<string, Record<string, unknown>>, checks?: import('./checks.mjs').Check[],
 *   notes?: string[] }} SectionOutcome
 * @typedef {{ id: string, title: string, needsEmulator?: boolean, run(context: SectionContext): Promise<SectionOutcome> }} Section
 */

/** @param {string} name a file of bench/workloads/ without `.mjs` */
export function workload(name) {
  return new URL(`../workloads/${name}.mjs`, import.meta.url);
}
