// @ts-check
/**
 * Import and first call: fresh processes that import what an application
 * imports and make one ECS call, bare and managed (`ak` config), in
 * alternating pairs. Per pair: managed − bare time to the first answer,
 * counted from the moment the SDK (common to both) is loaded — split into
 * the import (until the client is constructed) and the rest (until the first
 * answer). A third fresh process per round makes the first GetSecretValue of
 * a bare KMS client: the cold KMS round trip, next to the warm one. A census
 * run per config lists the packages each one loads.
 */
import { execFile } from 'node:child_process';
import { atMost, equals, showEstimate } from '../lib/checks.mjs';
import { medianInterval, round } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';

const HEAVY = ['node-forge', 'protobufjs'];
const SLACK_MS = 2;

/**
 * @typedef {{ mode: string, importMs: number, firstCallMs: number, cpuMs: number, kmsRoundTripMs: number | null,
 *   packages?: string[] }} FirstCall
 */

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'import',
  title: 'import and first call (fresh processes; ECS, ak config; timed after the SDK import)',
  async run({ quick, world }) {
    // BENCH_QUICK: the census runs stand in for the timed pair, and ecs_ram_role is left out.
    // Fresh processes are the slow part: 20 pairs, or fewer (not under 10) once 90 s are spent.
    const pairs = quick ? { min: 0, max: 0, budgetMs: 0 } : { min: 10, max: 20, budgetMs: 120_000 };
    const configs = quick ? ['ak'] : ['ak', 'ecs_ram_role'];
    const run = (/** @type {string[]} */ args, config = 'ak') => firstCall(args, world, config);

    const bareCensus = await run(['bare', '--census']);
    /** @type {Record<string, string[]>} */
    const extraPackages = {};
    /** @type {FirstCall[]} */ const bare = [];
    /** @type {FirstCall[]} */ const managed = [];
    /** @type {number[]} */ const differences = [];
    /** @type {number[]} */ const cpuDifferences = [];
    /** @type {FirstCall[]} */ const coldKms = [];
    for (const config of configs) {
      const census = await run(['managed', '--census'], config);
      extraPackages[config] = (census.packages ?? []).filter((name) => !bareCensus.packages?.includes(name));
      if (pairs.max === 0 && config === 'ak') {
        bare.push(bareCensus);
        managed.push(census);
        differences.push(census.firstCallMs - bareCensus.firstCallMs);
        cpuDifferences.push(census.cpuMs - bareCensus.cpuMs);
      }
    }

    const pairsStarted = Date.now();
    for (let pair = 0; pair < pairs.max; pair++) {
      if (pair >= pairs.min && Date.now() - pairsStarted > pairs.budgetMs) break;
      const order = pair % 2 === 0 ? ['bare', 'managed', 'kms'] : ['kms', 'managed', 'bare'];
      /** @type {Record<string, FirstCall>} */
      const outcome = {};
      for (const mode of order) outcome[mode] = await run([mode]);
      coldKms.push(/** @type {FirstCall} */ (outcome['kms']));
      const b = /** @type {FirstCall} */ (outcome['bare']);
      const m = /** @type {FirstCall} */ (outcome['managed']);
      bare.push(b);
      managed.push(m);
      differences.push(m.firstCallMs - b.firstCallMs);
      cpuDifferences.push(m.cpuMs - b.cpuMs);
    }
    const difference = medianInterval(differences);
    const cpuDifference = medianInterval(cpuDifferences);
    const kmsRoundTripMs = medianInterval(managed.map((m) => m.kmsRoundTripMs ?? Number.NaN)).median;
    // The same pairs, split at the moment the client is constructed.
    const importDifference = medianInterval(managed.map((m, i) => m.importMs - (bare[i]?.importMs ?? 0)));
    const afterReady = (/** @type {FirstCall} */ r) => r.firstCallMs - r.importMs;
    const afterReadyDifference = medianInterval(
      managed.map((m, i) => afterReady(m) - afterReady(bare[i] ?? m)),
    );
    const coldKmsMs = coldKms.length ? medianInterval(coldKms.map((r) => r.firstCallMs)).median : Number.NaN;
    const median = (
      /** @type {FirstCall[]} */ runs,
      /** @type {'importMs' | 'firstCallMs' | 'cpuMs'} */ field,
    ) => round(medianInterval(runs.map((r) => r[field])).median, 1);

    const checks = Object.entries(extraPackages).map(([config, extra]) => {
      const heavy = HEAVY.filter((name) => extra.includes(name));
      return equals(
        `heavy modules loaded, ${config} config (${HEAVY.join(', ')})`,
        heavy.length ? heavy.join(', ') : 'none',
        'none',
      );
    });
    checks.push(
      atMost('time to first call, managed − bare', difference, kmsRoundTripMs + SLACK_MS, {
        unit: ' ms',
        digits: 1,
        target: `≤ one KMS round trip (${kmsRoundTripMs.toFixed(1)} ms) + ${SLACK_MS} ms`,
      }),
    );
    return {
      result: {
        pairs: differences.length,
        extraPackages,
        bare: { importMs: median(bare, 'importMs'), firstCallMs: median(bare, 'firstCallMs') },
        managed: { importMs: median(managed, 'importMs'), firstCallMs: median(managed, 'firstCallMs') },
        firstCallDifferenceMs: difference,
        importDifferenceMs: importDifference,
        afterReadyDifferenceMs: afterReadyDifference,
        cpuDifferenceMs: cpuDifference,
        kmsRoundTripMs,
        coldKmsFirstCallMs: coldKmsMs,
      },
      table: {
        'bare SDK client': {
          'client ready ms': median(bare, 'importMs'),
          'first answer ms': median(bare, 'firstCallMs'),
          'CPU ms': median(bare, 'cpuMs'),
        },
        'managed (ak)': {
          'client ready ms': median(managed, 'importMs'),
          'first answer ms': median(managed, 'firstCallMs'),
          'CPU ms': median(managed, 'cpuMs'),
        },
        'managed − bare (paired)': {
          'client ready ms': showEstimate(importDifference, 1),
          'first answer ms': showEstimate(difference, 1),
          'CPU ms': showEstimate(cpuDifference, 1),
        },
        'managed − bare, client ready → first answer': {
          'client ready ms': '',
          'first answer ms': showEstimate(afterReadyDifference, 1),
          'CPU ms': '',
        },
        'bare KMS client, first GetSecretValue (cold KMS round trip)': {
          'client ready ms': coldKms.length ? median(coldKms, 'importMs') : '',
          'first answer ms': coldKms.length ? round(coldKmsMs, 1) : '',
          'CPU ms': coldKms.length ? median(coldKms, 'cpuMs') : '',
        },
      },
      notes: [
        ...Object.entries(extraPackages).map(
          ([config, extra]) =>
            `packages loaded beyond the bare client's (${config}): ${extra.join(', ') || 'none'}`,
        ),
        `KMS round trip: warm ${kmsRoundTripMs.toFixed(1)} ms (forced refreshes; the target uses it), ` +
          `cold ${Number.isNaN(coldKmsMs) ? 'n/a' : `${coldKmsMs.toFixed(1)} ms`} (first call of a bare KMS client in a fresh process)`,
      ],
      checks,
    };
  },
};

/**
 * @param {string[]} args
 * @param {import('../lib/processes.mjs').World} world
 * @param {string} config
 * @returns {Promise<FirstCall>}
 */
function firstCall(args, world, config) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [workload('first-call').pathname, ...args],
      { env: { ...process.env, BENCH_WORLD: JSON.stringify(world), BENCH_CONFIG: config }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`first-call ${args.join(' ')} failed: ${stderr}`, { cause: error }));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}
