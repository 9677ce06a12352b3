// @ts-check
/**
 * Mutation testing, parts 2 and 3: unit tests as the killer, with per-test coverage, over the
 * mutants the Cucumber run did not detect (scripts/mutation.mjs passes them with --mutate).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import { shared } from './stryker.shared.mjs';

export default {
  ...shared,
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // scripts/mutation.mjs runs this twice: with all the unit tests that run the model in process,
  // and with those but the property tests (MUTATION_VITEST_CONFIG=vitest.mutation-fast.config.ts).
  vitest: { configFile: process.env.MUTATION_VITEST_CONFIG ?? 'vitest.mutation.config.ts', related: false },
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATION_REPORT ?? 'vitest'}.json` },
  htmlReporter: { fileName: `reports/mutation/${process.env.MUTATION_REPORT ?? 'vitest'}.html` },
  ignorePatterns: ['dist', 'reports', 'implementations', 'bench', 'docs', 'examples'],
};
