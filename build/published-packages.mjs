/**
 * The packages this repository publishes, in dependency order (a package
 * comes after the packages it depends on). The build (`tsdown.config.ts`),
 * `pnpm pack` and the packaging test (`test/packaging/run.mjs`) all read this
 * list, so adding a package is one line here.
 *
 * `entries` maps an output name (`dist/<name>.cjs`) to its source; the default
 * is `{ index: 'src/index.ts' }`.
 *
 * @type {ReadonlyArray<{ dir: string; entries?: Record<string, string> }>}
 */
export const PUBLISHED_PACKAGES = [
  {
    dir: 'packages/managed-credentials',
    entries: {
      index: 'src/index.ts',
      cli: 'src/cli/main.ts',
      // Internal, for bench/lib/fleet.mjs: neither in `exports` nor in the tarball (`files`).
      'secret/refresh-policy': 'src/secret/refresh-policy.ts',
    },
  },
  { dir: 'packages/tea-openapi' },
  { dir: 'packages/oss' },
  { dir: 'packages/pop-core' },
  { dir: 'packages/fake-cloud' },
];
