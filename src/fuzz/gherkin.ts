/**
 * A counterexample as a scenario in the suite's own steps (steps/explicit_steps.ts): the set-up,
 * every call with the result the reference gave, and at the step that differed the Then of the
 * aspect that differed, with the reference's text. Pasted into a feature it passes against the
 * reference and fails against the implementation that the fuzzer caught.
 */
import type { Counterexample } from './fuzz.js';
import type { Strictness } from './observe.js';
import { printCall } from './phrases.js';
import { bufferName } from './calls.js';
import type { Observation } from './side.js';

export interface PrintContext {
  /** The command line that replays the counterexample. */
  readonly replay: string;
  readonly strictness: Strictness;
  /** The rule it breaks, as ./rules.ts reads it; undefined proposes a new rule. */
  readonly rule?: { readonly id: string; readonly title?: string };
  readonly implementation: string;
}

const quote = (text: string) => `"${text.replaceAll('"', "'")}"`;
function docString(text: string, indent: string): string[] {
  return [`${indent}"""`, ...text.split('\n').map((line) => `${indent}${line}`), `${indent}"""`];
}

/** The Then step that asserts one observation. */
function thenStep(observation: Observation, indent: string): string[] {
  switch (observation.aspect) {
    case 'set-up':
      return [`${indent}Then the set-up returned ${quote(observation.text)}`];
    case 'result':
      return [`${indent}Then the result is ${quote(observation.text)}`];
    case 'threw':
      return [`${indent}Then the call did not throw`];
    case 'mdl':
      return [`${indent}Then the MDL of ${quote(observation.subject ?? '')} is now:`, ...docString(observation.text, `${indent}  `)];
    case 'operations':
      return [`${indent}Then the operations now stand:`, ...docString(observation.text, `${indent}  `)];
    case 'locks':
      return [`${indent}Then the buffers now stand ${quote(observation.text)}`];
    case 'endpoints':
      return [`${indent}Then the endpoints now stand ${quote(observation.text)}`];
    case 'violations':
      return [`${indent}Then the violations recorded since the call are ${quote(observation.text)}`];
    case 'wire':
      return [`${indent}Then the messages on the wire since the call are:`, ...docString(observation.text, `${indent}  `)];
  }
}

const REQUIRES: ReadonlyArray<readonly [string, (fn: string) => boolean]> = [
  ['mdl', (fn) => fn === 'buildMdl' || fn === 'createFromMdl'],
  ['lifecycle', (fn) => fn === 'disable' || fn === 'cleanup'],
  ['hostControl', (fn) => fn === 'hostDirect' || fn === 'hostAnswer'],
  ['migration', (fn) => fn.startsWith('migration') || fn === 'readSnapshot'],
  ['wireHost', (fn) => fn.startsWith('wire')],
];

/** The scenario, indented for a `Rule:` of a feature (Gherkin does not mind other indentation). */
export function printScenario(example: Counterexample, context: PrintContext): string {
  const { record } = example;
  const difference = record.difference!;
  const steps = record.steps.slice(0, difference.step + 1);
  const fns = steps.map((s) => s.call.fn);
  const requires = REQUIRES.filter(([, uses]) => fns.some(uses)).map(([capability]) => capability);
  if (difference.aspect === 'wire') requires.push('trace');
  if (difference.aspect === 'violations') requires.push('violations');
  const tags = ['@fuzz', context.rule === undefined ? '@proposed' : `@${context.rule.id}`, ...requires.map((c) => `@requires:${c}`)];
  const at = difference.step === -1 ? 'the set-up' : `step ${difference.step + 1}, ${difference.aspect}`;
  const lines = [
    `    # Found by: ${context.replay.replace(/[\r\n\u2028\u2029]/g, ' ')}`,
    // The implementation's own strings go into a comment only, on one line (JSON escapes a line end).
    `    # Against ${JSON.stringify(context.implementation)}: at ${at}, the reference showed ${JSON.stringify(difference.reference)}, the implementation ${JSON.stringify(difference.implementation)}.`,
    context.rule === undefined
      ? '    # No rule of the suite states this: propose one (a Rule with its id, level, spec statements or choice).'
      : `    # The rule it breaks, as the fuzzer reads it: ${context.rule.id}${context.rule.title === undefined ? '' : ` (${context.rule.title})`}.`,
    `    ${tags.join(' ')}`,
    `    Scenario: The fuzzer's counterexample of seed ${example.seed}, path ${example.path}`,
    `      Given the explicit set-up, compared as in the ${context.strictness === 'strict' ? 'strict' : 'normative'} profile, with these buffers:`,
    '        | buffer | byte offset | byte count |',
    ...example.program.buffers.map((b, i) => `        | ${bufferName(i)} | ${b.byteOffset} | ${b.byteCount} |`),
  ];
  if (difference.step === -1) {
    const observation = record.setUp.find((o) => o.aspect === difference.aspect);
    if (observation !== undefined) lines.push(...thenStep(observation, '      '));
  }
  steps.forEach((step, i) => {
    lines.push(`      When ${printCall(step.call)}`);
    const last = i === difference.step;
    const result = step.reference.find((o) => o.aspect === 'result');
    if (difference.aspect === 'threw' && last) lines.push(...thenStep({ aspect: 'threw', text: '' }, '      '));
    else if (result !== undefined) lines.push(...thenStep(result, '      '));
    if (last && difference.aspect !== 'result' && difference.aspect !== 'threw') {
      const observation = step.reference.find((o) => o.aspect === difference.aspect && o.subject === difference.subject) ?? { aspect: difference.aspect, text: difference.reference, ...(difference.subject === undefined ? {} : { subject: difference.subject }) };
      lines.push(...thenStep(observation, '      '));
    }
  });
  return `${lines.join('\n').replace(/^ {4}/gm, '  ')}\n`;
}

/** A feature file holding one printed scenario, runnable as it is. */
export function printFeature(scenario: string): string {
  return `Feature: A counterexample found by vmbus-conformance fuzz\n\n${scenario}`;
}
