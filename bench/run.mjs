// @ts-check
/**
 * The benchmarks (`pnpm bench`): figures as ratios against the bare SDK
 * clients, measured in one run against the local fake cloud. Prints a table
 * per benchmark and writes every figure to bench/results/latest.json.
 *
 *   BENCH_QUICK=1 node --expose-gc bench/run.mjs   # tiny counts: checks it runs, figures meaningless
 *   BENCH_RESULTS_FILE=/tmp/x.json …                 # write the JSON elsewhere
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measureCachedRead } from './lib/cached-read.mjs';
import { simulateFleet } from './lib/fleet.mjs';
import { measureMemory } from './lib/memory.mjs';
import { measureOverhead } from './lib/overhead.mjs';
import { measureStorm } from './lib/storm.mjs';
import { startWorld } from './lib/world.mjs';

const quick = process.env['BENCH_QUICK'] === '1';
const COUNTS = quick
  ? {
      overhead: { warmup: 2, iterations: 10, blocks: 2 },
      cachedRead: { reads: 1_000 },
      storm: { inFlight: 20, serverLatencyMs: 20 },
      memory: { clients: 50 },
      fleet: { processes: 100 },
    }
  : {
      overhead: { warmup: 100, iterations: 1_500, blocks: 10 },
      cachedRead: { reads: 1_000_000 },
      storm: { inFlight: 1_000, serverLatencyMs: 50 },
      memory: { clients: 10_000 },
      fleet: { processes: 10_000 },
    };
// BENCH_RESULTS_FILE: where to write the JSON instead (the smoke test uses a temporary file).
const resultsFile = process.env['BENCH_RESULTS_FILE']
  ? pathToFileURL(process.env['BENCH_RESULTS_FILE'])
  : new URL('./results/latest.json', import.meta.url);

const started = Date.now();
console.log(
  `managed-credentials benchmarks${quick ? ' (BENCH_QUICK: tiny counts, figures meaningless)' : ''}`,
);
console.log(
  `node ${process.version}, ${cpus().length} CPU(s) "${cpus()[0]?.model ?? '?'}", load ${loadavg()[0]?.toFixed(1)}\n`,
);

const world = await startWorld('bench-ram-secret');
/** @type {Record<string, unknown>} */
const results = {};
try {
  section('1. per-call overhead (sequential calls, fake cloud on 127.0.0.1)');
  const overhead = await measureOverhead(world, COUNTS.overhead);
  results['perCallOverhead'] = overhead;
  table({
    'ECS DescribeInstances: bare client': row(overhead.ecsDescribeInstances.bare),
    'ECS DescribeInstances: createClient': row(overhead.ecsDescribeInstances.managed),
    'ECS ratio managed / bare': ratioRow(overhead.ecsDescribeInstances),
    'OSS get: bare ali-oss': row(overhead.ossGet.bare),
    'OSS get: ProxyOSSClient': row(overhead.ossGet.managed),
    'OSS ratio managed / bare': ratioRow(overhead.ossGet),
  });

  section('2. cached key read (warm cache)');
  const cached = await measureCachedRead(world, COUNTS.cachedRead);
  results['cachedKeyRead'] = cached;
  table({
    'await provider.getAccessKey(name)': { 'ns/op': cached.getAccessKeyNs },
    'provider.currentAccessKey(name) (sync)': { 'ns/op': cached.currentAccessKeyNs },
    'for scale: await of a resolved promise': { 'ns/op': cached.bareAwaitNs },
  });

  section(`3. rotation storm (${COUNTS.storm.inFlight} calls in flight when the key is revoked)`);
  const storm = await measureStorm(world, COUNTS.storm);
  results['rotationStorm'] = storm;
  table({
    'calls rejected by the cloud': { value: storm.rejectedByCloud, target: '' },
    'KMS fetches': { value: storm.kmsFetches, target: 1 },
    'user-visible failures': { value: storm.userVisibleFailures, target: 0 },
    'p99 without rotation (ms)': { value: storm.baseline.p99Ms, target: '' },
    'p99 with rotation (ms)': { value: storm.storm.p99Ms, target: '' },
    'added p99 (ms)': { value: storm.addedP99Ms, target: '≈ one round trip + one KMS fetch' },
  });

  section(`4. memory (${COUNTS.memory.clients} clients on one secret, retained heap)`);
  const memory = await measureMemory(world, COUNTS.memory);
  results['memory'] = memory;
  if ('skipped' in memory) console.log(`  skipped: ${memory.skipped}`);
  else {
    table({
      'ECS client': { ...memory.ecsBytesPerClient },
      'OSS client': { ...memory.ossBytesPerClient },
    });
  }
} finally {
  await world.cloud.close();
}

section(`5. fleet simulation (${COUNTS.fleet.processes} processes, one rotation, real refresh policy)`);
const fleet = simulateFleet(COUNTS.fleet);
results['fleet'] = fleet;
table({
  'policy: rotation date + delay + jitter': fleetRow(fleet.policy),
  'same, without the per-process jitter': fleetRow(fleet.withoutJitter),
  'if KMS gave no NextRotationDate': fleetRow(fleet.withoutRotationDate),
});

const document = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadAverage: loadavg()[0],
  quick,
  counts: COUNTS,
  durationMs: Date.now() - started,
  results,
};
mkdirSync(new URL('./', resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(document, null, 2)}\n`);
console.log(`\nwrote ${fileURLToPath(resultsFile)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

/** @param {string} title */
function section(title) {
  console.log(`\n${title}`);
}

/** @param {Record<string, Record<string, unknown>>} rows */
function table(rows) {
  console.table(rows);
}

/** @param {{ n: number, medianMs: number, p99Ms: number }} summary */
function row(summary) {
  return { calls: summary.n, 'median ms': summary.medianMs, 'p99 ms': summary.p99Ms };
}

/** @param {ReturnType<typeof simulateFleet>['policy']} outcome */
function fleetRow(outcome) {
  return {
    'peak KMS req/s': outcome.peakKmsRequestsPerSecond,
    'KMS requests': outcome.kmsRequests,
    'first refresh (min)': outcome.firstRefreshAfterRotationMin,
    'median (min)': outcome.medianRefreshAfterRotationMin,
    'whole fleet (min)': outcome.wholeFleetOnNewKeyAfterMin,
  };
}

/** @param {{ medianRatio: number, p99Ratio: number }} comparison */
function ratioRow(comparison) {
  return { calls: '', 'median ms': `×${comparison.medianRatio}`, 'p99 ms': `×${comparison.p99Ratio}` };
}
