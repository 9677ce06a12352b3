/**
 * Steps in which every argument is spelled out: one When per contract call, each sentence naming
 * the KMCL function it exercises, and Then steps that compare what the implementation showed after
 * the call with a text. The fuzzer writes its counterexamples in these steps (`vmbus-conformance
 * fuzz`), and a feature may use them as they are.
 *
 * Glue only: the sentences and what they call are declared once in src/fuzz/phrases.ts, and the
 * calls and observations are the fuzzer's own (src/fuzz/side.ts), so a printed scenario asserts
 * exactly what the fuzzer compared.
 */
import assert from 'node:assert/strict';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { CALL_PHRASES, groupCount, readCall } from '../src/fuzz/phrases.js';
import type { Aspect, Observation, Side } from '../src/fuzz/side.js';
import type { Strictness } from '../src/fuzz/observe.js';
import type { VmbusWorld } from './support/world.js';

interface Explicit {
  readonly side: Side;
  last: readonly Observation[];
}
const explicit = new WeakMap<VmbusWorld, Explicit>();

function state(world: VmbusWorld): Explicit {
  const s = explicit.get(world);
  assert.ok(s !== undefined, 'the scenario has no explicit set-up: start it with "Given the explicit set-up, compared as in the ... profile, with these buffers:"');
  return s;
}

function observed(world: VmbusWorld, aspect: Aspect, subject?: string): string {
  const { last } = state(world);
  const threw = last.find((o) => o.aspect === 'threw');
  assert.ok(threw === undefined || aspect === 'threw', threw?.text);
  return last.find((o) => o.aspect === aspect && (subject === undefined || o.subject === subject))?.text ?? '(nothing)';
}

async function setUp(world: VmbusWorld, profile: string, table: DataTable, unopened: boolean): Promise<void> {
  assert.ok(profile === 'strict' || profile === 'normative', `unknown profile ${profile}: strict or normative`);
  const { capabilities } = world.impl.info;
  // The fuzzer's side, and fast-check which its modules load, only for a scenario that uses these
  // steps: the suite's features do not, and every run would load them for nothing.
  const [{ Side }, { PAIRS }] = await Promise.all([import('../src/fuzz/side.js'), import('../src/fuzz/commands.js')]);
  const side = new Side(world.impl, profile as Strictness, { trace: capabilities.trace, violations: capabilities.violations }, PAIRS);
  const buffers = table.hashes().map((row) => ({ byteOffset: Number(row['byte offset']), byteCount: Number(row['byte count']) }));
  explicit.set(world, { side, last: await side.setUp(buffers, unopened) });
}

Given('the explicit set-up, compared as in the {word} profile, with these buffers:', async function (this: VmbusWorld, profile: string, table: DataTable) {
  await setUp(this, profile, table, false);
});

Given('the explicit set-up, compared as in the {word} profile, with the client of channel "ch2" not enabled and these buffers:', async function (this: VmbusWorld, profile: string, table: DataTable) {
  await setUp(this, profile, table, true);
});

for (const phrase of CALL_PHRASES) {
  const groups = groupCount(phrase.regexp);
  const step = async function (this: VmbusWorld, ...captured: Array<string | undefined>): Promise<void> {
    const s = state(this);
    s.last = (await s.side.step(readCall(phrase, captured))).observations;
  };
  // Cucumber checks a step function's arity against the expression's groups.
  Object.defineProperty(step, 'length', { value: groups });
  When(phrase.regexp, step);
}

Then('the set-up returned {string}', function (this: VmbusWorld, expected: string) {
  assert.equal(observed(this, 'set-up'), expected);
});

Then('the call did not throw', function (this: VmbusWorld) {
  assert.equal(state(this).last.find((o) => o.aspect === 'threw')?.text, undefined);
});

Then('the result is {string}', function (this: VmbusWorld, expected: string) {
  assert.equal(observed(this, 'result'), expected, 'the result of the call');
});

Then('the MDL of {string} is now:', function (this: VmbusWorld, mapping: string, expected: string) {
  assert.equal(observed(this, 'mdl', mapping), expected, `the MDL of ${mapping}`);
});

Then('the operations now stand:', function (this: VmbusWorld, expected: string) {
  assert.equal(observed(this, 'operations'), expected, 'the operations started so far');
});

Then('the endpoints now stand {string}', function (this: VmbusWorld, expected: string) {
  assert.equal(observed(this, 'endpoints'), expected, 'the states of the endpoints');
});

Then('the buffers now stand {string}', function (this: VmbusWorld, expected: string) {
  assert.equal(observed(this, 'locks'), expected, 'which buffers are locked');
});

Then('the violations recorded since the call are {string}', function (this: VmbusWorld, expected: string) {
  assert.equal(observed(this, 'violations'), expected, 'the violations recorded since the call');
});

Then('the messages on the wire since the call are:', function (this: VmbusWorld, expected: string) {
  assert.equal(observed(this, 'wire'), expected, 'the channel messages since the call');
});
