// @ts-check
/**
 * The benchmarks (`pnpm bench`): every figure issue 14 asks for, measured in
 * one run against fake-cloud (in its own process), each in a fresh worker
 * process, with its target and PASS/FAIL in the summary. Writes every figure
 * to bench/results/latest.json.
 *
 *   BENCH_QUICK=1 node --expose-gc bench/run.mjs   # tiny counts: checks it runs, figures meaningless
 *   BENCH_ONLY=loopback,memory …                     # only these sections (ids below)
 *   BENCH_RESULTS_FILE=/tmp/x.json …                 # write the JSON elsewhere
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEmulator } from './lib/processes.mjs';
import cachedRead from './sections/cached-read.mjs';
import fleet from './sections/fleet.mjs';
import importFirstCall from './sections/import.mjs';
import loopback from './sections/loopback.mjs';
import memory from './sections/memory.mjs';
import promiseTax from './sections/promise-tax.mjs';
import rotationStorm from './sections/storm.mjs';
import wrapperCpu from './sections/wrapper-cpu.mjs';

/**
 * The sections, in order. A section is `{ id, title, run(context) }` returning
 * its figures, a table and its checks (see lib/workloads.mjs); add one here.
 * @type {import('./lib/workloads.mjs').Section[]}
 */
const SECTIONS = [
  wrapperCpu,
  loopback,
  promiseTax,
  memory,
  importFirstCall,
  rotationStorm,
  cachedRead,
  fleet,
];

const quick = process.env['BENCH_QUICK'] === '1';
const only = process.env['BENCH_ONLY']?.split(',').map((id) => id.trim());
const sections = only ? SECTIONS.filter((section) => only.includes(section.id)) : SECTIONS;
const resultsFile = process.env['BENCH_RESULTS_FILE']
  ? pathToFileURL(process.env['BENCH_RESULTS_FILE'])
  : new URL('./results/latest.json', import.meta.url);

const started = Date.now();
console.log(
  `managed-credentials benchmarks${quick ? ' (BENCH_QUICK: tiny counts, figures meaningless)' : ''}`,
);
const loadBefore = loadavg()[0] ?? 0;
console.log(
  `node ${process.version}, ${cpus().length} CPU(s) "${cpus()[0]?.model ?? '?'}", load ${loadBefore.toFixed(1)}`,
);
console.log('fake cloud, workers and this coordinator are separate processes; intervals are 90 % (median)\n');

const needsEmulator = sections.some((section) => section.needsEmulator !== false);
const emulator = needsEmulator ? await startEmulator() : undefined;
/** @type {Record<string, unknown>} */
const results = {};
/** @type {Record<string, { title: string, durationMs: number }>} */
const timings = {};
/** @type {import('./lib/checks.mjs').Check[]} */
const summary = [];
try {
  for (const [index, section] of sections.entries()) {
    console.log(`\n${index + 1}. ${section.title}`);
    const sectionStarted = Date.now();
    const context = /** @type {import('./lib/workloads.mjs').SectionContext} */ ({
      quick,
      emulator,
      world: emulator?.world,
    });
    const outcome = await section.run(context);
    timings[section.id] = { title: section.title, durationMs: Date.now() - sectionStarted };
    results[section.id] = outcome.result;
    if (outcome.table) console.table(outcome.table);
    for (const note of outcome.notes ?? []) console.log(`  ${note}`);
    summary.push(...(outcome.checks ?? []));
  }
} finally {
  await emulator?.close();
}

console.log(
  '\nsummary: issue 14 targets (result from the median; "straddles": the interval crosses the target)',
);
console.table(
  Object.fromEntries(
    summary.map((check) => [
      check.figure,
      {
        measured: check.measured,
        '90 % interval': check.interval,
        target: check.target,
        result: check.result,
        interval: check.certainty,
      },
    ]),
  ),
);
const passed = summary.filter((check) => check.result === 'PASS').length;
console.log(`${passed} of ${summary.length} targets met`);

const document = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadAverage: { before: loadBefore, after: loadavg()[0] },
  quick,
  durationMs: Date.now() - started,
  sections: timings,
  results,
  summary,
};
mkdirSync(new URL('./', resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(document, null, 2)}\n`);
console.log(`\nwrote ${fileURLToPath(resultsFile)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
