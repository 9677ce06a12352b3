// @ts-check
/**
 * Mutation testing, part 1 of 3: the Cucumber suite as the killer, with per-scenario coverage.
 * `npm run mutation` runs this, then stryker.vitest.config.mjs twice, and merges the reports
 * (scripts/mutation.mjs); docs/mutation.md says why and reviews the survivors.
 * Cucumber loads the step definitions from the TypeScript sources through tsx (NODE_OPTIONS is
 * set by scripts/mutation.mjs) with cucumber.mjs, against the reference model in process.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import { shared } from './stryker.shared.mjs';

export default {
  ...shared,
  testRunner: 'cucumber',
  plugins: ['@stryker-mutator/cucumber-runner'],
  jsonReporter: { fileName: 'reports/mutation/cucumber.json' },
  htmlReporter: { fileName: 'reports/mutation/cucumber.html' },
  // What the suite needs in the sandbox is src/, steps/, features/ and the configs; the rest is
  // only copied time.
  ignorePatterns: ['dist', 'reports', 'implementations', 'bench', 'test', 'docs', 'examples'],
};
