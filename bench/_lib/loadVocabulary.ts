/**
 * The step vocabulary of `dist/steps/` as Cucumber itself loads it (its API's `loadSupport`), as
 * data for the vocabulary floor of bench/suite.ts.
 */
import { writeFileSync } from 'node:fs';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { suitePaths } from '../../src/cli/paths.js';
import type { Vocabulary } from './vocabulary.js';

/** What this reads of the library Cucumber loaded (its API types it as opaque). */
interface LoadedLibrary {
  readonly stepDefinitions: ReadonlyArray<{ readonly pattern: string | RegExp; readonly code: (...args: never[]) => unknown }>;
  readonly parameterTypeRegistry: {
    readonly parameterTypes: Iterable<{ readonly name?: string; readonly regexpStrings: readonly string[]; readonly useForSnippets?: boolean; readonly preferForRegexpMatch?: boolean; readonly builtin?: boolean }>;
  };
}

/** Loads the suite's support code from `root` and writes its vocabulary to `file`; returns it. */
export async function writeVocabulary(root: string, file: string): Promise<Vocabulary> {
  const paths = suitePaths(root);
  const environment = { cwd: root };
  const { runConfiguration } = await loadConfiguration({ file: false, provided: { paths: [...paths.featureGlobs], import: [...paths.stepGlobs] } }, environment);
  const library = (await loadSupport({ sources: runConfiguration.sources, support: runConfiguration.support }, environment)) as unknown as LoadedLibrary;
  const vocabulary: Vocabulary = {
    steps: library.stepDefinitions.map((step) => ({
      ...(step.pattern instanceof RegExp ? { regexp: { source: step.pattern.source, flags: step.pattern.flags } } : { expression: step.pattern }),
      arity: step.code.length,
    })),
    parameterTypes: [...library.parameterTypeRegistry.parameterTypes]
      .filter((type) => type.builtin !== true)
      .map((type) => ({ name: type.name!, regexps: [...type.regexpStrings], useForSnippets: type.useForSnippets !== false, preferForRegexpMatch: type.preferForRegexpMatch === true })),
  };
  writeFileSync(file, JSON.stringify(vocabulary));
  return vocabulary;
}
