// @ts-check
/**
 * Mutation testing, part 1 of 3: the Cucumber suite as the killer, with per-scenario coverage.
 * `npm run mutation` runs this, then stryker.vitest.config.mjs twice, and merges the reports
 * (scripts/mutation.mjs); docs/mutation.md says why and reviews the survivors.
 * Cucumber loads the step definitions from the TypeScript sources through tsx (NODE_OPTIONS is
 * set by scripts/mutation.mjs) with cucumber.mjs, against the reference model in process.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'cucumber',
  plugins: ['@stryker-mutator/cucumber-runner'],
  mutate: ['src/model/**/*.ts', 'src/protocol/*.ts'],
  coverageAnalysis: 'perTest',
  // Two cores, shared with other work.
  concurrency: 2,
  timeoutMS: 10000,
  // A static mutant (one in code that runs when a module loads, such as MESSAGE_CATALOGUE) cannot
  // be switched on and off within one Cucumber process: Stryker would start a fresh worker and run
  // all the scenarios for each, some 10 s apiece here (213 of them: over half an hour). They are
  // counted as ignored (docs/mutation.md).
  ignoreStatic: true,
  reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
  jsonReporter: { fileName: 'reports/mutation/cucumber.json' },
  htmlReporter: { fileName: 'reports/mutation/cucumber.html' },
  clearTextReporter: { reportMutants: false },
  tempDirName: '.stryker-tmp',
  // What the suite needs in the sandbox is src/, steps/, features/ and the configs; the rest is
  // only copied time.
  ignorePatterns: ['dist', 'reports', 'implementations', 'bench', 'test', 'docs', 'examples'],
  cleanTempDir: true,
};
