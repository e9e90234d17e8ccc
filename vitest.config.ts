import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each file in its own process: the XS harness locks down its process (SES).
    pool: 'forks',
    isolate: true,
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
