import { defineConfig } from 'vitest/config';

/**
 * The killers of the third Stryker run of scripts/mutation.mjs (docs/mutation.md): the unit tests of
 * vitest.mutation.config.ts but the two property-based files, which cover every line of the model
 * and take seconds per mutant, too long for the 1,000-odd undetected mutants of the large model
 * files on this shared 2-core machine.
 */
export default defineConfig({
  test: {
    include: ['test/model/**/*.test.ts', 'test/protocol/**/*.test.ts', 'test/pairing/Pairing.test.ts'],
    exclude: ['test/model/properties.test.ts', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
