import { defineConfig } from 'vitest/config';

/**
 * The unit tests written against the survivors of mutation testing (docs/mutation.md): the killers
 * of the fourth Stryker run of scripts/mutation.mjs, over every mutant the first three left.
 */
export default defineConfig({
  test: {
    include: ['test/model/mutants.*.test.ts', 'test/protocol/*.mutants.test.ts'],
    environment: 'node',
  },
});
