/**
 * What the packaging test runs: the Node versions (each lower bound of the
 * `engines` range the packages declare, plus the LTS lines most users run,
 * plus the machine's own) and the consumer scripts, with what each must print.
 */
import semver from 'semver';

/** Current LTS lines, pinned so the binary cache stays valid; bump now and then. */
export const LTS_VERSIONS = ['22.23.5', '24.22.3'];

/** Lower bound of each `||` part of an engines range: `^18.17.0 || >=20.3.0` → 18.17.0, 20.3.0. */
export function lowerBounds(range) {
  return range.split('||').map((part) => semver.minVersion(part.trim()).version);
}

/** The TypeScript versions the consumers compile with (npm specs installed into the app). */
export const TYPESCRIPTS = [
  { tag: '5.4', spec: 'typescript@~5.4.0', bin: 'node_modules/typescript/bin/tsc', as: 'typescript' },
  {
    tag: 'latest',
    spec: 'typescript@latest',
    bin: 'node_modules/typescript-latest/bin/tsc',
    as: 'typescript-latest',
  },
];

/** Consumer scripts in the app, run on every Node. */
export function consumerScripts() {
  const js = [
    { name: 'CommonJS script (require)', file: 'rotation.cjs', expect: expectJs('require') },
    { name: 'ESM script (import)', file: 'rotation.mjs', expect: expectJs('import') },
  ];
  const ts = TYPESCRIPTS.flatMap(({ tag }) => [
    {
      name: `TS ${tag}, nodenext, CommonJS pkg`,
      file: `ts-nodenext/out-${tag}/consumer.js`,
      expect: expectNodenext,
    },
    { name: `TS ${tag}, bundler`, file: `ts-bundler/out-${tag}/consumer.js`, expect: expectBundler },
  ]);
  return [...js, ...ts];
}

/** Problems with a consumer's JSON result (empty when it passed). */
function common(result, loader) {
  const problems = [];
  if (result.loader !== loader) problems.push(`loader ${result.loader}`);
  if (result.body !== loader) problems.push(`OSS body ${JSON.stringify(result.body)}`);
  if (result.instanceOfOss !== true) problems.push('ProxyOSSClient is not an ali-oss client');
  if (result.oldKeyRevoked !== true) problems.push('the rotation did not revoke the old key');
  if (!result.refreshReasons?.includes('expired-key')) {
    problems.push(`no expired-key refresh (refreshes: ${JSON.stringify(result.refreshReasons)})`);
  }
  return problems;
}

function ecsProblems(result) {
  const [before, after] = result.instanceIds ?? [];
  const problems = [];
  if (!before || before !== after) problems.push(`ECS answers ${JSON.stringify(result.instanceIds)}`);
  if (result.instanceOfEcs !== true) problems.push('the managed ECS client is not an Ecs instance');
  return problems;
}

/** The V1 SDK adapter (managed-credentials-pop-core) through the same rotation. */
function popCoreProblems(result) {
  const [before, after] = result.popCoreInstanceIds ?? [];
  const problems = [];
  if (!before || before !== after)
    problems.push(`pop-core answers ${JSON.stringify(result.popCoreInstanceIds)}`);
  if (result.instanceOfRpc !== true) problems.push('ProxyRPCClient is not a pop-core RPCClient');
  return problems;
}

function expectJs(loader) {
  return (result) => [
    ...common(result, loader),
    ...ecsProblems(result),
    ...popCoreProblems(result),
    ...(result.sameState === true
      ? []
      : [`two states for import and require: ${JSON.stringify(result.sameState)}`]),
  ];
}

function expectNodenext(result) {
  return [...common(result, 'ts-nodenext'), ...ecsProblems(result)];
}

function expectBundler(result) {
  return [
    ...common(result, 'ts-bundler'),
    ...(result.objects?.includes('before.txt')
      ? []
      : [`listing after rotation: ${JSON.stringify(result.objects)}`]),
  ];
}
