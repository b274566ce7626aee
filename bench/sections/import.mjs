// @ts-check
/**
 * Import and first call: fresh processes that import what an application
 * imports and make one ECS call, bare and managed (`ak` config), in
 * alternating pairs. Per pair: managed − bare time from script start to the
 * first answer. A census run per config lists the packages each one loads.
 */
import { execFile } from 'node:child_process';
import { atMost, equals } from '../lib/checks.mjs';
import { medianInterval, round } from '../lib/stats.mjs';
import { workload } from '../lib/workloads.mjs';

const HEAVY = ['node-forge', 'protobufjs'];
const SLACK_MS = 2;

/**
 * @typedef {{ mode: string, importMs: number, firstCallMs: number, kmsRoundTripMs: number | null,
 *   packages?: string[] }} FirstCall
 */

/** @type {import('../lib/workloads.mjs').Section} */
export default {
  id: 'import',
  title: 'import and first call (fresh processes; ECS, ak config)',
  async run({ quick, world }) {
    const pairs = quick ? 1 : 20;
    const run = (/** @type {string[]} */ args, config = 'ak') => firstCall(args, world, config);

    const bareCensus = await run(['bare', '--census']);
    /** @type {Record<string, string[]>} */
    const extraPackages = {};
    for (const config of ['ak', 'ecs_ram_role']) {
      const census = await run(['managed', '--census'], config);
      extraPackages[config] = (census.packages ?? []).filter((name) => !bareCensus.packages?.includes(name));
    }

    /** @type {number[]} */ const differences = [];
    /** @type {FirstCall[]} */ const bare = [];
    /** @type {FirstCall[]} */ const managed = [];
    for (let pair = 0; pair < pairs; pair++) {
      const order = pair % 2 === 0 ? ['bare', 'managed'] : ['managed', 'bare'];
      /** @type {Record<string, FirstCall>} */
      const outcome = {};
      for (const mode of order) outcome[mode] = await run([mode]);
      const b = /** @type {FirstCall} */ (outcome['bare']);
      const m = /** @type {FirstCall} */ (outcome['managed']);
      bare.push(b);
      managed.push(m);
      differences.push(m.firstCallMs - b.firstCallMs);
    }
    const difference = medianInterval(differences);
    const kmsRoundTripMs = medianInterval(managed.map((m) => m.kmsRoundTripMs ?? Number.NaN)).median;
    const median = (/** @type {FirstCall[]} */ runs, /** @type {'importMs' | 'firstCallMs'} */ field) =>
      round(medianInterval(runs.map((r) => r[field])).median, 1);

    const checks = Object.entries(extraPackages).map(([config, extra]) => {
      const heavy = HEAVY.filter((name) => extra.includes(name));
      return equals(
        `heavy modules loaded for a ${config} config (${HEAVY.join(', ')})`,
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
        pairs,
        extraPackages,
        bare: { importMs: median(bare, 'importMs'), firstCallMs: median(bare, 'firstCallMs') },
        managed: { importMs: median(managed, 'importMs'), firstCallMs: median(managed, 'firstCallMs') },
        firstCallDifferenceMs: difference,
        kmsRoundTripMs,
      },
      table: {
        'bare SDK client': { 'imports ms': median(bare, 'importMs'), 'first answer ms': median(bare, 'firstCallMs') },
        'managed (ak)': { 'imports ms': median(managed, 'importMs'), 'first answer ms': median(managed, 'firstCallMs') },
        'managed − bare (paired)': {
          'imports ms': '',
          'first answer ms': `${round(difference.median, 1)} [${round(difference.low, 1)} … ${round(difference.high, 1)}]`,
        },
      },
      notes: Object.entries(extraPackages).map(
        ([config, extra]) => `packages loaded beyond the bare client's (${config}): ${extra.join(', ') || 'none'}`,
      ),
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
