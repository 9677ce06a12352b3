/**
 * The support code of the suite benchmark's floor (bench/suite.ts): every step of every feature
 * matches and does nothing, so a run costs what Cucumber itself costs (parsing, matching, running,
 * its formatters). No World, no hooks, no parameter types.
 *
 * Two definitions rather than one: Cucumber wants a step function to declare exactly the step's
 * arguments, and the steps that end with a colon, and only those, carry a data table or a doc
 * string (the benchmark checks that every step passed, so a step that broke this would show).
 */
import { defineStep } from '@cucumber/cucumber';

defineStep(/^(?:.*[^:])?$/, () => undefined);
defineStep(/:$/, (_argument: unknown) => undefined);
