// @ts-check
/**
 * Mutation testing, parts 2 and 3: unit tests as the killer, with per-test coverage, over the
 * mutants the Cucumber run did not detect (scripts/mutation.mjs passes them with --mutate).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // scripts/mutation.mjs runs this twice: with all the unit tests that run the model in process,
  // and with those but the property tests (MUTATION_VITEST_CONFIG=vitest.mutation-fast.config.ts).
  vitest: { configFile: process.env.MUTATION_VITEST_CONFIG ?? 'vitest.mutation.config.ts', related: false },
  mutate: ['src/model/**/*.ts', 'src/protocol/*.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10000,
  // A static mutant (code that runs when a module loads: MESSAGE_CATALOGUE, the codec's layouts,
  // GuestMemory's scramble constants) has no per-test coverage: every one reruns all 151 tests,
  // 15-25 s apiece on this shared 2-core machine, over an hour for the 213 of them. They are left
  // out and counted as ignored (docs/mutation.md); `--ignoreStatic false` measures them.
  ignoreStatic: true,
  reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATION_REPORT ?? 'vitest'}.json` },
  htmlReporter: { fileName: `reports/mutation/${process.env.MUTATION_REPORT ?? 'vitest'}.html` },
  clearTextReporter: { reportMutants: false },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'reports', 'implementations', 'bench', 'docs', 'examples'],
  cleanTempDir: true,
};
