/**
 * A suite's step vocabulary as data: the patterns and arities of its step definitions and its own
 * parameter types, for the benchmark floor that runs Cucumber with the same vocabulary and no code
 * behind it (bench/suiteVocabularySteps.ts). Written by bench/_lib/loadVocabulary.ts.
 */

/** The environment variable that names the vocabulary file for the floor's support code. */
export const VOCABULARY_ENV = 'VMBUS_BENCH_VOCABULARY';

export interface Vocabulary {
  readonly steps: ReadonlyArray<{
    /** A cucumber expression, or else a regular expression. */
    readonly expression?: string;
    readonly regexp?: { readonly source: string; readonly flags: string };
    /** The step function's declared arguments, which Cucumber checks. */
    readonly arity: number;
  }>;
  /** The parameter types the suite defines (Cucumber's built-in ones are not listed). */
  readonly parameterTypes: ReadonlyArray<{
    readonly name: string;
    readonly regexps: readonly string[];
    readonly useForSnippets: boolean;
    readonly preferForRegexpMatch: boolean;
  }>;
}
