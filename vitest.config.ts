import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
/** The lowest ali-oss the OSS adapter supports (its peerDependencies floor), installed as `ali-oss-floor`. */
const aliOssFloor = fileURLToPath(new URL('./packages/oss/node_modules/ali-oss-floor', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; the CommonJS/ESM interop tests load the built dist on purpose.
    alias: {
      'managed-credentials-fake-cloud': src('fake-cloud'),
      'managed-credentials-tea-openapi': src('tea-openapi'),
      'managed-credentials-oss': src('oss'),
      'managed-credentials-pop-core': src('pop-core'),
      'managed-credentials': src('managed-credentials'),
    },
  },
  test: {
    // Rebuilds dist/ when src/ is newer: spawned `node` processes load the packages by name.
    globalSetup: ['./build/vitest-ensure-built.mjs'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'all', include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        // The OSS adapter's tests once more on the lowest supported ali-oss (the sources import `ali-oss`,
        // so the alias swaps the SDK under test; the dist-based module-format tests keep the latest).
        extends: true,
        resolve: { alias: { 'ali-oss': aliOssFloor } },
        test: {
          name: 'ali-oss-floor',
          include: ['packages/oss/test/**/*.test.ts'],
          exclude: ['packages/oss/test/module-formats.test.ts'],
          env: { ALI_OSS_UNDER_TEST: 'floor' },
        },
      },
    ],
  },
});
