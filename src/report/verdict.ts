/**
 * From Cucumber step results to verdicts.
 *
 * Scenario verdict, from the step results of its last attempt (hooks included):
 * - the first FAILED step decides when there is one: its exception is an assertion error
 *   (a `ContractAssertionError` marks a failure of the contract of a claimed capability)
 *   (Cucumber 12 emits `exception.type` = the error's constructor name, `"AssertionError"` for
 *   `node:assert`; when there is no exception object, the message starting with `AssertionError`
 *   counts) → `fail`; any other exception (a plain `Error`, a `TypeError`, a failing hook) → `error`;
 * - else an AMBIGUOUS, UNDEFINED, PENDING or UNKNOWN step → `error`;
 * - else a SKIPPED step (a Before hook returned `'skipped'` because the implementation lacks a
 *   capability, which skips the rest) → `not-applicable`;
 * - else every step PASSED → `pass`, provided at least one Gherkin step ran (a scenario of hooks
 *   only asserts nothing: `error`).
 * A test case that started but has no `testCaseFinished` → `error` "did not finish".
 *
 * Combining (a scenario outline's examples into its scenario, scenarios into their rule):
 * `fail` if any failed, else `error` if any errored, else `pass` if any passed, else
 * `not-applicable` if any was not applicable, else `not-run`. With an expectations file applied,
 * `unexpected-pass` comes after `error` and `known-failure` after it, both before `pass`.
 */
import type { TestStepResult } from '@cucumber/messages';
import { CONTRACT_ASSERTION, type MeasuredVerdict, type Verdict } from './types.js';

export interface StepOutcome {
  /** What ran: `Given a channel` or `Before hook`. */
  readonly label: string;
  /** True for a step of the scenario, false for a hook. */
  readonly isGherkinStep: boolean;
  readonly result: TestStepResult;
}

export interface VerdictWithMessage {
  readonly verdict: MeasuredVerdict;
  readonly step?: string;
  readonly message?: string;
  /** A `fail` whose assertion checks the contract of a claimed capability ({@link CONTRACT_ASSERTION}). */
  readonly contract?: true;
}

/** Longest message kept in a report, in characters. */
export const MAX_MESSAGE_LENGTH = 4000;

export function trimMessage(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= MAX_MESSAGE_LENGTH ? trimmed : `${trimmed.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

const ASSERTION_TYPE = /(^|\.)\w*AssertionError$/;
const ASSERTION_MESSAGE = /^\s*AssertionError\b/;

/** A FAILED result that an assertion produced, as opposed to an exception. */
export function isAssertionFailure(result: TestStepResult): boolean {
  const type = result.exception?.type;
  if (type !== undefined && type !== '') return ASSERTION_TYPE.test(type);
  return ASSERTION_MESSAGE.test(result.message ?? '');
}

function failureMessage(result: TestStepResult, assertion: boolean): string {
  const exception = result.exception;
  if (exception) {
    const text = exception.message ?? '';
    if (assertion) return trimMessage(text !== '' ? text : (result.message ?? exception.type));
    return trimMessage(text !== '' ? `${exception.type}: ${text}` : (result.message ?? exception.type));
  }
  return trimMessage(result.message ?? 'failed without a message');
}

export function verdictOfSteps(steps: readonly StepOutcome[]): VerdictWithMessage {
  const failed = steps.find((s) => s.result.status === 'FAILED');
  if (failed) {
    const assertion = isAssertionFailure(failed.result);
    const outcome: VerdictWithMessage = { verdict: assertion ? 'fail' : 'error', step: failed.label, message: failureMessage(failed.result, assertion) };
    return assertion && failed.result.exception?.type === CONTRACT_ASSERTION ? { ...outcome, contract: true } : outcome;
  }
  const broken = steps.find((s) => ['AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN'].includes(s.result.status));
  if (broken) {
    const status = broken.result.status;
    const message =
      status === 'AMBIGUOUS'
        ? (broken.result.message ?? 'ambiguous step: several step definitions match')
        : status === 'UNDEFINED'
          ? 'undefined step: no step definition matches'
          : status === 'PENDING'
            ? 'pending step: the step definition is not implemented yet'
            : 'unknown step status';
    return { verdict: 'error', step: broken.label, message: trimMessage(message) };
  }
  const skipped = steps.find((s) => s.result.status === 'SKIPPED');
  if (skipped) {
    const reason = skipped.result.message;
    return reason !== undefined && reason.trim() !== ''
      ? { verdict: 'not-applicable', step: skipped.label, message: trimMessage(reason) }
      : { verdict: 'not-applicable', step: skipped.label };
  }
  if (!steps.some((s) => s.isGherkinStep)) {
    return { verdict: 'error', message: 'the scenario ran no steps, so it checked nothing' };
  }
  return { verdict: 'pass' };
}

const PRECEDENCE: readonly Verdict[] = ['fail', 'error', 'unexpected-pass', 'known-failure', 'pass', 'not-applicable', 'not-run'];

/**
 * fail > error > unexpected-pass > known-failure > pass > not-applicable > not-run; no verdicts at
 * all is `not-run`. Measured verdicts combine into a measured verdict.
 */
export function combineVerdicts<V extends Verdict>(verdicts: Iterable<V>): V {
  let best = PRECEDENCE.length - 1;
  for (const v of verdicts) best = Math.min(best, PRECEDENCE.indexOf(v));
  return PRECEDENCE[best] as V;
}
