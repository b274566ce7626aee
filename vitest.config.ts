import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // fake-cloud servers bind 127.0.0.1:0, so files can run in parallel safely.
    pool: 'forks',
  },
});
