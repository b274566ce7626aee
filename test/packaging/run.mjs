#!/usr/bin/env node
/**
 * Packaging test (issue 12): the packages as a user gets them. Builds, packs
 * every published package with pnpm, checks the tarballs, installs them with
 * plain npm into a temporary CommonJS app together with @alicloud/ecs20140526
 * 7.x, @alicloud/openapi-core and ali-oss from the registry, compiles strict
 * TypeScript consumers (nodenext in a CommonJS package, bundler) with
 * TypeScript 5.4 and the latest, then runs a CommonJS script, an ESM script and
 * the compiled consumers through a key rotation against fake-cloud on the
 * machine's Node, on each lower bound of `engines` and on the LTS lines.
 *
 *   node test/packaging/run.mjs [--skip-build] [--keep] [--full]
 *
 * Prints one line per step and a matrix; exits 1 when anything failed.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PUBLISHED_PACKAGES } from '../../build/published-packages.mjs';
import { checkEngines } from './engines-check.mjs';
import { LTS_VERSIONS, TYPESCRIPTS, consumerScripts, lowerBounds } from './matrix.mjs';
import { nodeBinary } from './node-binaries.mjs';
import { checkTarball } from './tarball-checks.mjs';

const exec = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const args = new Set(process.argv.slice(2));
const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'mc-packaging-'));
const failures = [];
let stepFailed = false;

const manifests = PUBLISHED_PACKAGES.map(({ dir }) => ({
  dir: join(root, dir),
  ...JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')),
}));

/** Runs one step, prints `✓ name  1.2 s` or `✗ …`, records why it failed. */
async function step(name, action) {
  const t0 = performance.now();
  try {
    const note = await action();
    console.log(`  ✓ ${name.padEnd(52)} ${seconds(t0)}${typeof note === 'string' ? `  ${note}` : ''}`);
    return true;
  } catch (error) {
    console.log(`  ✗ ${name.padEnd(52)} ${seconds(t0)}`);
    failures.push(
      `${name}: ${[error?.stdout, error?.stderr].filter(Boolean).join('\n') || error?.message || error}`,
    );
    stepFailed = true;
    return false;
  }
}

function seconds(t0) {
  return `${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s`;
}

const sh = (file, argv, options = {}) =>
  exec(file, argv, { maxBuffer: 64 << 20, ...options, env: { ...process.env, ...options.env } });

console.log(`Packaging test (work dir ${work})`);
const engines = new Set(manifests.map((manifest) => manifest.engines?.node));
if (engines.size !== 1) {
  failures.push(`the packages declare different engines.node ranges: ${[...engines].join(' / ')}`);
  stepFailed = true;
}
const oldest = lowerBounds(manifests[0].engines.node);
const versions = [...new Set([process.versions.node, ...oldest, ...LTS_VERSIONS])];
const binaries = new Map([[process.versions.node, process.execPath]]);

// Node binaries download while the rest builds.
const downloads = Promise.all(
  versions.slice(1).map(async (version) => ({ version, ...(await nodeBinary(version)) })),
);

if (!args.has('--skip-build')) {
  await step('build (tsc -b + tsdown)', () => sh('npm', ['run', '--silent', 'build'], { cwd: root }));
}

const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
await step(`pnpm pack ${manifests.length} packages`, () => {
  // One pnpm for all packages (it rewrites workspace: ranges); under `pnpm run` reuse that pnpm, npx is slow.
  const pnpm = /pnpm/.test(process.env.npm_execpath ?? '')
    ? [process.execPath, [process.env.npm_execpath]]
    : ['npx', ['-y', 'pnpm@10']];
  const filters = PUBLISHED_PACKAGES.flatMap(({ dir }) => ['--filter', `./${dir}`]);
  return sh(pnpm[0], [...pnpm[1], '-r', ...filters, 'pack', '--pack-destination', tarballs], { cwd: root });
});

await step('tarball contents', async () => {
  const problems = [];
  for (const file of readdirSync(tarballs)) {
    const into = join(work, 'extracted', file);
    mkdirSync(into, { recursive: true });
    await sh('tar', ['-xzf', join(tarballs, file), '-C', into]);
    problems.push(...checkTarball(join(into, 'package')).map((problem) => `${file}: ${problem}`));
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
});

await step(`Node ${versions.slice(1).join(', ')}`, async () => {
  const fetched = await downloads;
  for (const { version, binary } of fetched) binaries.set(version, binary);
  const downloaded = fetched.filter((entry) => entry.downloaded).map((entry) => entry.version);
  return downloaded.length > 0 ? `downloaded ${downloaded.join(', ')}` : 'cached';
});

const app = join(work, 'app');
cpSync(join(import.meta.dirname, 'app'), app, { recursive: true });
const installed = await step('npm install tarballs + SDKs from the registry', async () => {
  const ours = Object.fromEntries(
    readdirSync(tarballs).map((file) => {
      const manifest = manifests.find((candidate) => file === tarballName(candidate));
      return [manifest.name, `file:../tarballs/${file}`];
    }),
  );
  const typescripts = Object.fromEntries(
    TYPESCRIPTS.map(({ spec, as }) => [as, as === 'typescript' ? spec.split('@')[1] : `npm:${spec}`]),
  );
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'packaging-app',
      private: true,
      dependencies: {
        ...ours,
        '@alicloud/ecs20140526': '^7.0.0',
        '@alicloud/openapi-core': '^1.0.0',
        'ali-oss': '^6.20.0',
        '@alicloud/pop-core': '^1.7.0',
      },
      // @types/ws: @darabonba/typescript (under @alicloud/ecs20140526 7.x) imports 'ws' in its own
      // declarations without depending on its types, which `skipLibCheck: false` reports (TS7016).
      devDependencies: { ...typescripts, '@types/node': '^20.0.0', '@types/ws': '^8.0.0' },
    }),
  );
  await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: app,
  });
});

if (installed) {
  await step('engines of every runtime dependency', () => {
    const problems = checkEngines(
      app,
      manifests.map((manifest) => manifest.name),
      versions,
    );
    if (problems.length > 0) throw new Error(problems.join('\n'));
  });
  // Two compilers at a time; TypeScript 5.4 with skipLibCheck off reads all of the ECS SDK's declarations.
  const compiles = TYPESCRIPTS.flatMap(({ tag, bin }) =>
    ['ts-nodenext', 'ts-bundler'].map((project) => ({ tag, bin, project })),
  );
  const compile = async () => {
    for (let job = compiles.shift(); job; job = compiles.shift()) {
      const { tag, bin, project } = job;
      const { stdout } = await sh(process.execPath, [join(app, bin), '--version'], { cwd: app });
      await step(`tsc ${stdout.trim().replace('Version ', '')} ${project} (strict, skipLibCheck off)`, () =>
        sh(process.execPath, [join(app, bin), '-p', project, '--outDir', `${project}/out-${tag}`], {
          cwd: app,
        }),
      );
    }
  };
  await Promise.all([compile(), compile()]);
}

if (installed) {
  await step('bin: managed-credentials --version on every Node', async () => {
    const bin = join(app, 'node_modules', 'managed-credentials', 'bin', 'managed-credentials.mjs');
    const expected = `managed-credentials ${manifests[0].version}`;
    for (const [version, binary] of binaries) {
      const { stdout } = await sh(binary, [bin, '--version'], { cwd: app });
      if (stdout.trim() !== expected) throw new Error(`Node ${version}: printed ${JSON.stringify(stdout)}`);
    }
  });
}

const results = await runMatrix();
printMatrix(results);
if (!args.has('--keep')) rmSync(work, { recursive: true, force: true });
const total = ((performance.now() - started) / 1000).toFixed(0);
const failedRuns = results.filter((result) => result.problems.length > 0);
if (stepFailed || failedRuns.length > 0) {
  for (const failure of failures) console.log(`\n✗ ${failure.trim().slice(0, 3000)}`);
  for (const run of failedRuns) {
    console.log(
      `\n✗ ${run.script.name} on Node ${run.version}:\n  ${run.problems.join('\n  ').slice(0, 3000)}`,
    );
  }
  console.log(`\nPackaging test FAILED in ${total} s`);
  process.exitCode = 1;
} else {
  console.log(
    `\nPackaging test passed: ${results.length} runs on ${versions.length} Node versions in ${total} s`,
  );
}

/** Every consumer script on every Node, two at a time; each must print its JSON result and exit by itself. */
async function runMatrix() {
  if (!installed) return [];
  const { generateTlsMaterial } = createRequire(join(app, 'package.json'))('managed-credentials-fake-cloud');
  const env = {
    PACKAGING_TLS: JSON.stringify(generateTlsMaterial()),
    PACKAGING_PACKAGES: JSON.stringify(manifests.map((manifest) => manifest.name)),
  };
  // The compiled TypeScript consumers take the require / import paths the two scripts take: they run on
  // the machine's Node and the oldest one, the scripts on every Node (all of them with --full).
  const everywhere = (script) => args.has('--full') || !script.file.startsWith('ts-');
  const jobs = consumerScripts().flatMap((script) =>
    [...binaries]
      .filter(([version]) => everywhere(script) || version === process.versions.node || version === oldest[0])
      .map(([version, binary]) => ({ script, version, binary })),
  );
  const results = [];
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      let problems;
      try {
        const { stdout } = await sh(job.binary, [job.script.file], { cwd: app, env, timeout: 120_000 });
        problems = job.script.expect(JSON.parse(stdout));
      } catch (error) {
        problems = [
          error.killed ? 'did not exit within 120 s' : String(error.stderr || error.message).trim(),
        ];
      }
      results.push({ ...job, problems });
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

function printMatrix(results) {
  if (results.length === 0) return;
  const columns = [...binaries.keys()];
  const width = Math.max(...columns.map((column) => column.length)) + 2;
  console.log(
    `\n  ${'rotation against fake-cloud'.padEnd(36)}${columns.map((c) => c.padStart(width)).join('')}`,
  );
  for (const script of consumerScripts()) {
    const cells = columns.map((version) => {
      const result = results.find((entry) => entry.script.file === script.file && entry.version === version);
      return (result ? (result.problems.length === 0 ? '✓' : '✗') : '-').padStart(width);
    });
    console.log(`  ${script.name.padEnd(36)}${cells.join('')}`);
  }
}

function tarballName(manifest) {
  return `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;
}
