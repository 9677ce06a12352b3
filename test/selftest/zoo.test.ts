/**
 * The harness's self-test: the suite must catch every faulty implementation of the zoo, each by
 * exactly the rules it declares, and must report a broken plug-in as an error, never a failure.
 *
 * - In-process fakes (`implementations/faulty/*.ts`, each the reference model with one lie): the
 *   rules whose verdict is `fail` are exactly the fake's `catches`, no rule is `error`, and the run
 *   exits 1. They run in this process through `runCommand`, one after the other, about half a
 *   second each (`runSuiteWithCucumber` reuses the step definitions it loaded for the first run);
 *   one of them also through the real command line.
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
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/catalogue.js';
import type { FaultyImplementation } from '../../implementations/faulty/_internals/faulty.js';
import { EXIT } from '../../src/cli/exit.js';
import { pairSpec } from '../../src/pairing/pairFactory.js';
import { failingRules, limit, rulesWith, runCli, runInProcess, tempDir, ROOT, type RunOutcome } from './_helpers/runs.js';

const FAULTY_DIR = path.join(ROOT, 'implementations', 'faulty');
const NAMES = (await readdir(FAULTY_DIR)).filter((file) => file.endsWith('.ts')).map((file) => file.slice(0, -'.ts'.length)).sort();

interface FakeModule {
  readonly default: FaultyImplementation;
  readonly catches: readonly string[];
  /** For a fake whose lie is its guest's: the rules that catch it as a guest half, the harness carrying the wire. */
  readonly catchesAsGuest?: readonly string[];
  /** For a fake whose lie is its host's: the rules that catch it as a host half. */
  readonly catchesAsHost?: readonly string[];
}
const loadFake = async (name: string): Promise<FakeModule> => (await import(pathToFileURL(path.join(FAULTY_DIR, `${name}.ts`)).href)) as FakeModule;
const fakeSpec = (name: string): string => `module:dist/implementations/faulty/${name}.js`;

/** What every run writes, whatever its verdicts. */
const REPORT_FILES = ['conformance.json', 'conformance.md', 'cucumber.html', 'messages.ndjson', 'junit.xml'];

const RULE_IDS = new Set((await loadCatalogue(path.join(ROOT, 'features'), { root: ROOT })).rules.map((rule) => rule.id));

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
const ONE_RULE_AND_NEXT = ['--tags', '@CHAN-07 or @CHAN-09', '--timeout', '1500'];
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
  { fault: ['--hang-on', 'setRingBufferPageCount'], options: ONE_RULE_AND_NEXT, errors: ['CHAN-07'], mustPass: ['CHAN-09'], message: /Timeout: .* did not answer setRingBufferPageCount within 1500 ms/ },
  { fault: ['--garbage-on', 'setRingBufferPageCount'], options: ONE_RULE_AND_NEXT, errors: ['CHAN-07'], mustPass: ['CHAN-09'], message: /ProtocolError: .* not JSON/ },
  { fault: ['--wrong-seq-on', 'setRingBufferPageCount'], options: ONE_RULE_AND_NEXT, errors: ['CHAN-07'], mustPass: ['CHAN-09'], message: /ProtocolError: .* answered seq \d+, but the request waiting for an answer is seq \d+/ },
];
const WRONG_VERSION = ['--protocol-version', '2'] as const;
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

  it.each(NAMES)('catches %s by exactly the rules it declares', async (name) => {
    const { catches } = await loadFake(name);
    const run = await runInProcess(fakeSpec(name), out.path(name));
    expect(run.report.implementation.name, 'dist/ is older than the fake: build first').toBe(`faulty:${name}`);
    expect(run.report.run.finished).toBe(true);
    expect(run.report.problems).toEqual([]);
    expect(rulesWith(run.report, 'error'), 'rules in error').toEqual([]);
    expect(failingRules(run.report), 'failing rules').toEqual([...catches].sort());
    expect(rulesWith(run.report, 'pass'), 'every other rule passes').toEqual([...RULE_IDS].filter((id) => !catches.includes(id)).sort());
    expect(run.code).toBe(catches.length > 0 ? EXIT.NON_CONFORMANT : EXIT.CONFORMANT);
  });

  it(`exits 1 from the command line for ${CLI_FAKE}`, async () => {
    const run = await cliRun(CLI_FAKE);
    expect(run.code, run.stderr).toBe(EXIT.NON_CONFORMANT);
    expect(failingRules(run.report)).toEqual([...(await loadFake(CLI_FAKE)).catches].sort());
  });
});

/** The fakes that lie as a guest: each is also run as a guest half with the reference host, the harness carrying the wire. */
const GUEST_FAKES = (await Promise.all(NAMES.map(async (name) => ((await loadFake(name)).catchesAsGuest !== undefined ? [name] : [])))).flat();
const GUEST_RULES = (await loadCatalogue(path.join(ROOT, 'features'), { root: ROOT })).rules.filter((rule) => rule.halves.includes('guest')).map((rule) => rule.id);

describe('the suite against the zoo\'s guests, the harness carrying the wire (docs/halves.md)', () => {
  it('has a fake whose lie only the carried wire shows: a trace that hides the bytes it sends', async () => {
    const fake = await loadFake('guestTraceHidesBodyNumbers');
    expect(fake.catches).toEqual([]);
    expect(fake.catchesAsGuest).toEqual(['CREATE-19']);
  });

  it.each(GUEST_FAKES)('catches %s as a guest half by exactly the rules it declares for that', async (name) => {
    const catches = (await loadFake(name)).catchesAsGuest!;
    const run = await runInProcess(pairSpec(fakeSpec(name), 'inproc:reference'), out.path('as-guest', name));
    expect(run.report.problems).toEqual([]);
    expect(rulesWith(run.report, 'error'), 'rules in error').toEqual([]);
    expect(failingRules(run.report), 'failing rules').toEqual([...catches].sort());
    expect(rulesWith(run.report, 'pass'), 'every other guest rule passes').toEqual(GUEST_RULES.filter((id) => !catches.includes(id)).sort());
    expect(run.code).toBe(catches.length > 0 ? EXIT.NON_CONFORMANT : EXIT.CONFORMANT);
  });
});

/** The fakes that lie as a host: each is also run as a host half with the reference guest. */
const HOST_FAKES = (await Promise.all(NAMES.map(async (name) => ((await loadFake(name)).catchesAsHost !== undefined ? [name] : [])))).flat();
const HOST_RULES = (await loadCatalogue(path.join(ROOT, 'features'), { root: ROOT })).rules.filter((rule) => rule.halves.includes('host')).map((rule) => rule.id);

describe('the suite against the zoo\'s hosts, the harness carrying the wire (docs/halves.md)', () => {
  it.each(HOST_FAKES)('catches %s as a host half by exactly the rules it declares for that', async (name) => {
    const catches = (await loadFake(name)).catchesAsHost!;
    expect(catches.filter((id) => !HOST_RULES.includes(id)), 'a host run judges host rules only').toEqual([]);
    const run = await runInProcess(pairSpec('inproc:reference', fakeSpec(name)), out.path('as-host', name));
    expect(run.report.problems).toEqual([]);
    expect(rulesWith(run.report, 'error'), 'rules in error').toEqual([]);
    expect(failingRules(run.report), 'failing rules').toEqual([...catches].sort());
    expect(rulesWith(run.report, 'pass'), 'every other host rule passes').toEqual(HOST_RULES.filter((id) => !catches.includes(id)).sort());
    expect(run.code).toBe(EXIT.NON_CONFORMANT);
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
  });

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
    expect(run.report.problems.map((problem) => problem.message).join('\n')).toMatch(/protocol version 2; this harness speaks version 1/);
  });
});
