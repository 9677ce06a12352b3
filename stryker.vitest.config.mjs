// @ts-check
/**
 * Mutation testing, part 2 of 2: the unit tests (vitest.mutation.config.ts) as the killer, with
 * per-test coverage; the same mutants as stryker.cucumber.config.mjs. See scripts/mutation.mjs.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: ['src/model/**/*.ts', 'src/protocol/*.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
  jsonReporter: { fileName: 'reports/mutation/vitest.json' },
  htmlReporter: { fileName: 'reports/mutation/vitest.html' },
  clearTextReporter: { reportMutants: false },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'reports', 'implementations', 'bench', 'docs', 'examples'],
  cleanTempDir: true,
};
