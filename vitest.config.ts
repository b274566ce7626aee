import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; the CommonJS/ESM interop tests load the built dist on purpose.
    alias: {
      'managed-credentials-fake-cloud': src('fake-cloud'),
      'managed-credentials-tea-openapi': src('tea-openapi'),
      'managed-credentials-oss': src('oss'),
      'managed-credentials': src('managed-credentials'),
    },
  },
  test: {
    // Rebuilds dist/ when src/ is newer: spawned `node` processes load the packages by name.
    globalSetup: ['./build/vitest-ensure-built.mjs'],
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
