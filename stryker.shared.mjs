// @ts-check
/**
 * What every mutation run shares (stryker.cucumber.config.mjs, stryker.vitest.config.mjs): what is
 * mutated, and how the runs are held and reported.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export const shared = {
  mutate: ['src/model/**/*.ts', 'src/protocol/*.ts'],
  coverageAnalysis: 'perTest',
  // Two cores, shared with other work.
  concurrency: 2,
  timeoutMS: 10000,
  // Static mutants (code that runs when a module loads: MESSAGE_CATALOGUE, the codec's layouts,
  // GuestMemory's scramble constants) have no per-test coverage: each would rerun everything, 10-25 s
  // apiece here, over half an hour for the 213 of them. They are counted as ignored
  // (docs/mutation.md); `--ignoreStatic false` measures them.
  ignoreStatic: true,
  reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
  clearTextReporter: { reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
