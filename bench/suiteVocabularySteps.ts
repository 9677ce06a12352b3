/**
 * The support code of the suite benchmark's second floor (bench/suite.ts): Cucumber with this
 * suite's step vocabulary, and nothing of ours behind it. Every step definition of `steps/` is
 * defined again with the same pattern and arity and a body that does nothing; every parameter type
 * of ours is defined again with the same regular expressions and a transformer that returns its
 * text. No World, no hooks, no model, no report.
 *
 * So this floor costs what Cucumber costs to run these features with these step definitions:
 * parsing, matching every step against all of our step definitions, running, its formatters.
 * The suite over it is what this project's code adds; it over the plain floor is what matching a
 * real vocabulary costs in Cucumber itself.
 *
 * The vocabulary comes from a file that bench/suite.ts writes from Cucumber's own load of `steps/`
 * ({@link VOCABULARY_ENV}).
 */
import { readFileSync } from 'node:fs';
import { defineParameterType, defineStep } from '@cucumber/cucumber';
import { VOCABULARY_ENV, type Vocabulary } from './_lib/vocabulary.js';

const file = process.env[VOCABULARY_ENV];
if (file === undefined) throw new Error(`${VOCABULARY_ENV} names no vocabulary file: run this floor through bench/suite.ts`);
const vocabulary = JSON.parse(readFileSync(file, 'utf8')) as Vocabulary;

for (const type of vocabulary.parameterTypes) {
  defineParameterType({
    name: type.name,
    regexp: type.regexps.map((source) => new RegExp(source)),
    transformer: (text: string) => text,
    useForSnippets: type.useForSnippets,
    preferForRegexpMatch: type.preferForRegexpMatch,
  });
}

for (const step of vocabulary.steps) {
  // Cucumber checks a step function's declared arguments (its length) against the step's.
  const body = Object.defineProperty(() => undefined, 'length', { value: step.arity });
  defineStep(step.regexp === undefined ? step.expression! : new RegExp(step.regexp.source, step.regexp.flags), body);
}
