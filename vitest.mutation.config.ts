import { defineConfig } from 'vitest/config';

/**
 * The unit tests that kill mutants of src/model and src/protocol (stryker.vitest.config.mjs): those
 * that run the model and the codec in this process. Tests that spawn the built CLI (dist/, which
 * Stryker does not mutate) cannot kill a mutant and are left out. The score in docs/mutation.md was
 * measured with test/pairing/differential.test.ts here too; it has since become part of
 * test/fuzz/fuzz.test.ts, which Stryker's sandbox did not load, so it is no killer now.
 */
export default defineConfig({
  test: {
    include: [
      'test/model/**/*.test.ts',
      'test/protocol/**/*.test.ts',
      'test/pairing/Pairing.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
