/**
 * The harness's self-test: the suite must catch every faulty implementation of the zoo, each by
 * exactly the rules it declares, and must report a broken plug-in as an error, never a failure.
 *
 * - In-process fakes (`implementations/faulty/*.ts`, each the reference model with one lie): the
 *   rules whose verdict is `fail` are exactly the fake's `catches`, no rule is `error`, and the run
 *   exits 1. Each fake is judged in `zoo.whole.*.test.ts` (whole) and `zoo.halves.test.ts` (as the
 *   half it lies in), split so that vitest runs them side by side (_helpers/judgeZoo.ts); here, the
 *   declarations, the control, and one fake through the real command line.
 * - Every rule of the catalogue is named by some fake (`catches`, `catchesAsGuest` or `catchesAsHost`):
 *   a rule that no implementation can fail checks nothing, so it is a failing test.
 * - The reference model, as the control: every rule passes and the run exits 0.
 * - Protocol-level fakes (`implementations/faulty/stdio/misbehave.mjs`, crash, hang, garbage, wrong
 *   `seq`, wrong protocol version): through the real CLI, the scenarios that meet the fault are
 *   `error`, no rule fails, the run finishes, every report is written, and it exits 2.
 *
 * Needs a build (`npm test` builds first): the fakes and the steps run from `dist/`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit.js';
import { failingRules, limit, rulesWith, runCli, runInProcess, tempDir, type RunOutcome } from './_helpers/runs.js';
import { FAULTY_DIR, fakeSpec, loadFake, NAMES, RULE_IDS } from './_helpers/zoo.js';

/** What every run writes, whatever its verdicts. */
const REPORT_FILES = ['conformance.json', 'conformance.md', 'cucumber.html', 'messages.ndjson', 'junit.xml'];

const out = await tempDir();
afterAll(() => out.remove());

/** One fake also goes through the real command line, alongside the in-process runs. */
const CLI_FAKE = 'allowsDoubleMap';

/**
 * The protocol-level fakes: `misbehave.mjs` with one fault each, on the one command that only the
 * ring-buffer page count rules (CHAN-07, its reference twin CHAN-08, and WIRE-09, which opens with
 * the counts set) use. The crash runs the
 * whole suite, so that it shows every other scenario still passing after the restarts; the others
 * run CHAN-07 and, after it, CHAN-09, which must pass on a fresh process.
 */
const MISBEHAVE = 'node implementations/faulty/stdio/misbehave.mjs';
/** The per-call budget of those runs: the hang uses it up; every healthy call, restarts' included, must fit on a loaded machine (the default, 5 s). */
const ONE_RULE_AND_NEXT = ['--tags', '@CHAN-07 or @CHAN-09', '--timeout', '5000'];
interface ProtocolFake {
  readonly fault: readonly [string, string];
  readonly options: readonly string[];
  /** Rules whose every scenario must be `error`; every other rule that ran must pass. */
  readonly errors: readonly string[];
  readonly mustPass: readonly string[];
  /** What the error messages of those scenarios must say. */
  readonly message: RegExp;
}
const PROTOCOL_FAKES: readonly ProtocolFake[] = [
  { fault: ['--crash-on', 'setRingBufferPageCount'], options: [], errors: ['CHAN-07', 'CHAN-08', 'WIRE-09'], mustPass: [], message: /ImplementationExited: .* exited with code 3 while answering setRingBufferPageCount/ },
  { fault: ['--hang-on', 'setRingBufferPageCount'], options: ONE_RULE_AND_NEXT, errors: ['CHAN-07'], mustPass: ['CHAN-09'], message: /Timeout: .* did not answer setRingBufferPageCount within 5000 ms/ },
  { fault: ['--garbage-on', 'setRingBufferPageCount'], options: ONE_RULE_AND_NEXT, errors: ['CHAN-07'], mustPass: ['CHAN-09'], message: /ProtocolError: .* not JSON/ },
  { fault: ['--wrong-seq-on', 'setRingBufferPageCount'], options: ONE_RULE_AND_NEXT, errors: ['CHAN-07'], mustPass: ['CHAN-09'], message: /ProtocolError: .* answered seq \d+, but the request waiting for an answer is seq \d+/ },
];
const WRONG_VERSION = ['--protocol-version', '9'] as const;
const protocolSpec = (fault: readonly string[]): string => `cmd:${MISBEHAVE} ${fault.join(' ')}`;

/** The command-line runs: started before the in-process ones, and run two at a time beside them. */
const cliRuns = new Map<string, Promise<RunOutcome>>();
beforeAll(() => {
  const twoAtATime = limit(2);
  const start = (key: string, args: readonly string[]): void => {
    const run = twoAtATime(() => runCli(['run', ...args, '--profile', 'strict', '--out', out.path('cli', key.replace(/^-+/, ''))]));
    run.catch(() => undefined); // awaited by its test; a filtered-out test must not leave it unhandled
    cliRuns.set(key, run);
  };
  const [crash, ...otherFaults] = PROTOCOL_FAKES;
  start(crash!.fault[0], ['--impl', protocolSpec(crash!.fault)]);
  start(CLI_FAKE, ['--impl', fakeSpec(CLI_FAKE)]);
  for (const fake of otherFaults) start(fake.fault[0], ['--impl', protocolSpec(fake.fault), ...fake.options]);
  start(WRONG_VERSION[0], ['--impl', protocolSpec(WRONG_VERSION)]);
});
const cliRun = (key: string): Promise<RunOutcome> => cliRuns.get(key)!;

describe('the zoo', () => {
  it('has at least a dozen in-process fakes', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(12);
  });

  it('shows every rule able to fail: each rule of the catalogue catches some fake, whole or as a half', async () => {
    const named = new Set<string>();
    for (const name of NAMES) {
      const fake = await loadFake(name);
      for (const id of [...fake.catches, ...(fake.catchesAsGuest ?? []), ...(fake.catchesAsHost ?? [])]) named.add(id);
    }
    expect([...RULE_IDS].filter((id) => !named.has(id)).sort(), 'rules that no fake declares: a rule no implementation is shown to fail').toEqual([]);
  });

  it.each(NAMES)('%s declares its lie and the rules that catch it', async (name) => {
    const fake = await loadFake(name);
    expect(fake.default.info.name).toBe(`faulty:${name}`);
    expect(fake.default.lie).not.toBe('');
    expect([...fake.catches].sort()).toEqual(fake.default.catches);
    expect([...(fake.catchesAsGuest ?? [])].sort()).toEqual(fake.default.catchesAsGuest ?? []);
    expect([...(fake.catchesAsHost ?? [])].sort()).toEqual(fake.default.catchesAsHost ?? []);
    const caughtBy = [...fake.catches, ...(fake.catchesAsGuest ?? []), ...(fake.catchesAsHost ?? [])];
    expect(caughtBy.length, 'a fake must be caught by some rule, whole or as a guest half').toBeGreaterThan(0);
    expect(caughtBy.filter((id) => !RULE_IDS.has(id)), 'ids that name no rule').toEqual([]);
    // The TSDoc at the top names the fake and every rule that must catch it.
    const doc = /^\/\*\*([\s\S]*?)\*\//.exec(await readFile(path.join(FAULTY_DIR, `${name}.ts`), 'utf8'))?.[1] ?? '';
    expect(doc).toContain(`\`faulty:${name}\``);
    expect(caughtBy.filter((id) => !doc.includes(id)), 'rule ids missing from the TSDoc').toEqual([]);
  });
});

describe('the suite against the zoo (strict profile)', () => {
  it('passes the reference model on every rule (the control)', async () => {
    const run = await runInProcess('inproc:reference', out.path('reference'));
    expect(run.code).toBe(EXIT.CONFORMANT);
    expect(rulesWith(run.report, 'pass')).toEqual([...RULE_IDS].sort());
  });

  it(`exits 1 from the command line for ${CLI_FAKE}`, async () => {
    const run = await cliRun(CLI_FAKE);
    expect(run.code, run.stderr).toBe(EXIT.NON_CONFORMANT);
    expect(failingRules(run.report)).toEqual([...(await loadFake(CLI_FAKE)).catches].sort());
  });
});

describe('the suite against a plug-in that breaks the protocol', () => {
  it.each(PROTOCOL_FAKES)('reports $fault.0 $fault.1 as errors, never failures, and finishes', async (fake) => {
    const run = await cliRun(fake.fault[0]);
    expect(run.code, run.stderr).toBe(EXIT.HARNESS_ERROR);
    expect(run.report.run.finished).toBe(true);
    for (const file of REPORT_FILES) expect(existsSync(path.join(run.out, file)), `${file} written`).toBe(true);
    expect(failingRules(run.report), 'no failures: nothing was measured wrong').toEqual([]);
    expect(rulesWith(run.report, 'error')).toEqual([...fake.errors].sort());
    for (const rule of run.report.rules.filter((r) => fake.errors.includes(r.id))) {
      for (const scenario of rule.scenarios) {
        expect(scenario.verdict, `${rule.id} ${scenario.name}`).toBe('error');
        expect(scenario.message).toMatch(fake.message);
      }
    }
    const ran = run.report.rules.filter((rule) => rule.verdict !== 'not-run' && !fake.errors.includes(rule.id));
    expect(ran.filter((rule) => rule.verdict !== 'pass').map((rule) => rule.id), 'rules that ran and did not pass').toEqual([]);
    expect(ran.map((rule) => rule.id)).toEqual(expect.arrayContaining([...fake.mustPass]));
    if (fake.options.length === 0) expect(ran.length, 'the whole suite ran').toBe(RULE_IDS.size - fake.errors.length);
  }, 120_000); // the crash fake runs the whole suite over stdio, restarting the program in every scenario it breaks

  it('carries the standard error of a crashed plug-in into the reports', async () => {
    const run = await cliRun('--crash-on');
    const said = 'misbehave: crashing on setRingBufferPageCount';
    const messages = run.report.rules.flatMap((rule) => rule.scenarios.map((scenario) => scenario.message ?? ''));
    expect(messages.filter((message) => message.includes(said)).length).toBeGreaterThan(0);
    expect(await readFile(path.join(run.out, 'messages.ndjson'), 'utf8')).toContain(said);
  });

  it('reports a plug-in that speaks another protocol version as an error', async () => {
    const run = await cliRun(WRONG_VERSION[0]);
    expect(run.code, run.stderr).toBe(EXIT.HARNESS_ERROR);
    for (const file of ['conformance.json', 'conformance.md']) expect(existsSync(path.join(run.out, file)), `${file} written`).toBe(true);
    expect(run.report.outcome).toBe('harness-error');
    expect(failingRules(run.report)).toEqual([]);
    expect(run.report.problems.map((problem) => problem.message).join('\n')).toMatch(/protocol version 9; this harness speaks versions 1 and 2/);
  });
});
