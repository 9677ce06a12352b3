import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The report and CLI tests run real (tiny) Cucumber runs.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
