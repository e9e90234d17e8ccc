import { defineConfig } from 'vitest/config';
import { purityPlugin } from './tools/purity/vite-plugin.js';

/** Settings both projects share. */
const common = {
  // Each file in its own process: the XS harness locks down its process (SES).
  pool: 'forks',
  isolate: true,
  testTimeout: 120_000,
  hookTimeout: 120_000,
} as const;

export default defineConfig({
  test: {
    ...common,
    projects: [
      {
        // The reference run: every test against src/ as written.
        test: {
          ...common,
          name: 'node',
          include: ['test/**/*.test.ts'],
        },
      },
      {
        // Integer purity (SPEC 1): the core's tests again, against an
        // instrumented src/ in which every arithmetic result must be an int32.
        plugins: [purityPlugin()],
        test: {
          ...common,
          name: 'purity',
          // Every test of src/ that runs in Node; the XS, CLI, guard and
          // device-cost tests exercise no src/ arithmetic of their own.
          include: ['test/**/*.test.ts'],
          exclude: ['test/xs/**', 'test/tools/**', 'test/guard/**', 'test/devcost/**'],
          env: { MATRIOSHKA_PURITY: '1' },
          setupFiles: ['tools/purity/setup.ts'],
        },
      },
    ],
  },
});
