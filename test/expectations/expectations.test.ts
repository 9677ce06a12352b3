import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyExpectations,
  assignExpectations,
  ExpectationsFileError,
  judge,
  loadExpectations,
  TODO_REASON,
  updateExpectations,
  validateExpectations,
  type ExpectationEntry,
  type ExpectationsFile,
  type LoadedExpectations,
} from '../../src/expectations/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { ConformanceReport, RuleResult } from '../../src/report/types.js';
import { makeReport, type RuleSpec } from './_helpers/reports.js';

const file = (...expectations: ExpectationEntry[]): ExpectationsFile => ({ implementation: 'impl', expectations });
const rule = (report: ConformanceReport, id: string): RuleResult => report.rules.find((r) => r.id === id)!;

const BASE: RuleSpec[] = [
  { id: 'OK-01', scenarios: ['pass', 'pass'] },
  { id: 'MAP-05', scenarios: ['pass', 'fail'] },
  { id: 'CRASH-01', scenarios: ['error'] },
  { id: 'NA-01', scenarios: ['not-applicable'] },
  { id: 'REF-01', level: 'reference', scenarios: ['fail'] },
];

describe('judge: expected against measured', () => {
  it.each([
    ['fail', 'fail', 'met', 'known-failure'],
    ['error', 'error', 'met', 'known-failure'],
    ['not-applicable', 'not-applicable', 'met', 'not-applicable'],
    ['fail', 'pass', 'unexpected-pass', 'unexpected-pass'],
    ['not-applicable', 'pass', 'unexpected-pass', 'unexpected-pass'],
    ['fail', 'error', 'mismatch', 'error'],
    ['error', 'fail', 'mismatch', 'fail'],
    ['fail', 'not-applicable', 'mismatch', 'not-applicable'],
    ['fail', 'not-run', 'not-run', 'not-run'],
  ] as const)('expected %s, measured %s: %s, shown as %s', (expected, measured, status, verdict) => {
    expect(judge(expected, measured)).toEqual({ status, verdict });
  });
});

describe('applyExpectations', () => {
  it('an expected failure is a known failure: the run stays conformant', () => {
    const measured = makeReport(BASE);
    expect(measured.outcome).toBe('harness-error');
    const report = applyExpectations(
      measured,
      file(
        { rule: 'MAP-05', verdict: 'fail', reason: 'maps twice', issue: 'https://example.com/issues/5' },
        { rule: 'CRASH-01', verdict: 'error', reason: 'crashes' },
      ),
      'impl.json',
    );
    expect(report.outcome).toBe('conformant');
    expect(report.conformant).toBe(true);
    expect(rule(report, 'MAP-05')).toMatchObject({
      verdict: 'known-failure',
      expectation: { expected: 'fail', measured: 'fail', status: 'met', reason: 'maps twice', issue: 'https://example.com/issues/5', entry: 0 },
    });
    expect(rule(report, 'MAP-05').scenarios.map((s) => s.verdict)).toEqual(['pass', 'known-failure']);
    expect(rule(report, 'CRASH-01').verdict).toBe('known-failure');
    expect(report.totals.normative).toEqual({ rules: 4, checked: 3, pass: 1, fail: 0, error: 0, notApplicable: 1, notRun: 0, knownFailure: 2, unexpectedPass: 0 });
    expect(report.expectations).toEqual({ file: 'impl.json', implementation: 'impl', entries: 2, met: 2, unexpectedPasses: 0, mismatches: 0, notRun: 0, todo: [] });
    const md = renderMarkdown(report);
    expect(md).toContain('normative: 1/4 rules pass, 3 checked (0 fail, 0 error, 1 not applicable, 0 not run, 2 known failure, 0 unexpected pass)');
    expect(md).toContain('| MAP-05 | normative | known failure |');
    expect(md).toContain('Expectation: expected fail (entry 0: maps twice; issue <https://example.com/issues/5>): met');
  });

  it('an unexpected pass fails the run, at any level and under any profile', () => {
    const measured = makeReport([{ id: 'OK-01', scenarios: ['pass'] }, { id: 'REF-02', level: 'reference', scenarios: ['pass', 'pass'] }]);
    const report = applyExpectations(measured, file({ rule: 'REF-02', verdict: 'fail', reason: 'was broken' }), 'f');
    expect(report.outcome).toBe('non-conformant');
    expect(rule(report, 'REF-02').verdict).toBe('unexpected-pass');
    expect(rule(report, 'REF-02').scenarios.map((s) => s.verdict)).toEqual(['unexpected-pass', 'unexpected-pass']);
    expect(report.totals.reference.unexpectedPass).toBe(1);
    expect(renderMarkdown(report)).toContain('NOT MET: it passed');
  });

  it('another verdict fails the run: 1 when it failed or was not applicable, 2 when it errored', () => {
    const measured = makeReport([{ id: 'OK-01', scenarios: ['pass'] }, { id: 'A-01', scenarios: ['fail'] }, { id: 'B-01', scenarios: ['error'] }, { id: 'C-01', level: 'reference', scenarios: ['not-applicable'] }]);
    const failedInstead = applyExpectations(measured, file({ rule: 'A-01', verdict: 'error', reason: 'r' }, { rule: 'B-01', verdict: 'error', reason: 'r' }), 'f');
    expect(rule(failedInstead, 'A-01')).toMatchObject({ verdict: 'fail', expectation: { status: 'mismatch', measured: 'fail' } });
    expect(failedInstead.outcome).toBe('non-conformant');
    const erroredInstead = applyExpectations(measured, file({ rule: 'A-01', verdict: 'fail', reason: 'r' }, { rule: 'B-01', verdict: 'fail', reason: 'r' }), 'f');
    expect(rule(erroredInstead, 'B-01')).toMatchObject({ verdict: 'error', expectation: { status: 'mismatch', measured: 'error' } });
    expect(erroredInstead.outcome).toBe('harness-error');
    const notApplicableInstead = applyExpectations(
      measured,
      file({ rule: 'A-01', verdict: 'fail', reason: 'r' }, { rule: 'B-01', verdict: 'error', reason: 'r' }, { rule: 'C-01', verdict: 'fail', reason: 'r' }),
      'f',
    );
    expect(rule(notApplicableInstead, 'C-01')).toMatchObject({ verdict: 'not-applicable', expectation: { status: 'mismatch' } });
    expect(notApplicableInstead.outcome).toBe('non-conformant');
    expect(notApplicableInstead.expectations).toMatchObject({ met: 2, mismatches: 1 });
  });

  it('a known failure never hides a crash: a rule expected to fail whose other scenario errors is a mismatch (2)', () => {
    const measured = makeReport([{ id: 'MIX-01', scenarios: ['fail', 'error', 'pass'] }]);
    const report = applyExpectations(measured, file({ rule: 'MIX-01', verdict: 'fail', reason: 'r' }), 'f');
    expect(rule(report, 'MIX-01')).toMatchObject({ verdict: 'fail', expectation: { status: 'mismatch', measured: 'error' } });
    expect(report.outcome).toBe('harness-error');
  });

  it('scenario entries: by name alone, or with the rule; the rule combines its scenarios again', () => {
    const measured = makeReport([
      { id: 'OK-01', scenarios: ['pass'] },
      { id: 'S-01', scenarios: ['fail', 'pass', 'error'], names: ['unique one', 'shared', 'crashes'] },
      { id: 'S-02', scenarios: ['fail'], names: ['shared'] },
    ]);
    const partial = applyExpectations(measured, file({ scenario: 'unique one', verdict: 'fail', reason: 'r' }), 'f');
    expect(rule(partial, 'S-01').scenarios.map((s) => s.verdict)).toEqual(['known-failure', 'pass', 'error']);
    expect(rule(partial, 'S-01').verdict).toBe('error');
    const full = applyExpectations(
      measured,
      file({ scenario: 'unique one', verdict: 'fail', reason: 'r' }, { rule: 'S-01', scenario: 'crashes', verdict: 'error', reason: 'r' }, { rule: 'S-02', scenario: 'shared', verdict: 'fail', reason: 'r' }),
      'f',
    );
    expect(full.rules.map((r) => r.verdict)).toEqual(['pass', 'known-failure', 'known-failure']);
    expect(full.outcome).toBe('conformant');
    expect(rule(full, 'S-01').scenarios[2]!.expectation).toMatchObject({ expected: 'error', status: 'met', entry: 1 });
  });

  it('an entry naming nothing, several scenarios, or what another entry names is a harness error naming the entry', () => {
    const measured = makeReport([{ id: 'OK-01', scenarios: ['pass', 'fail'], names: ['a', 'b'] }, { id: 'OK-02', scenarios: ['pass'], names: ['a'] }]);
    const report = applyExpectations(
      measured,
      file(
        { rule: 'MAP-99', verdict: 'fail', reason: 'r' },
        { scenario: 'nobody', verdict: 'fail', reason: 'r' },
        { scenario: 'a', verdict: 'fail', reason: 'r' },
        { rule: 'OK-01', scenario: 'zzz', verdict: 'fail', reason: 'r' },
        { rule: 'OK-01', scenario: 'b', verdict: 'fail', reason: 'r' },
        { rule: 'OK-01', verdict: 'fail', reason: 'r' },
        { scenario: 'b', verdict: 'fail', reason: 'r' },
      ),
      'exp.json',
    );
    expect(report.outcome).toBe('harness-error');
    expect(report.problems.map((p) => [p.kind, p.message])).toEqual([
      ['expectation-error', 'exp.json: expectations[0] (rule MAP-99): there is no rule MAP-99 in the catalogue (see `vmbus-conformance list-rules`)'],
      ['expectation-error', 'exp.json: expectations[1] (scenario "nobody"): there is no scenario of that name in the suite'],
      ['expectation-error', 'exp.json: expectations[2] (scenario "a"): 2 scenarios have that name (OK-01 line 10, OK-02 line 10): add "rule" to say which'],
      ['expectation-error', 'exp.json: expectations[3] (scenario "zzz" of rule OK-01): rule OK-01 has no scenario of that name'],
      ['expectation-error', 'exp.json: expectations[5] (rule OK-01): expectations[4] already names rule OK-01 or one of its scenarios; one entry per rule, or entries for its scenarios'],
      ['expectation-error', 'exp.json: expectations[6] (scenario "b"): expectations[4] already names this scenario or its rule OK-01'],
    ]);
    // The entries that do resolve are still applied.
    expect(rule(report, 'OK-01').verdict).toBe('known-failure');
  });

  it('an entry whose rule did not run is not checked', () => {
    const measured = makeReport([{ id: 'OK-01', scenarios: ['pass'] }, { id: 'X-01', level: 'reference', scenarios: ['not-run'] }]);
    const report = applyExpectations(measured, file({ rule: 'X-01', verdict: 'fail', reason: 'r' }), 'f');
    expect(rule(report, 'X-01')).toMatchObject({ verdict: 'not-run', expectation: { status: 'not-run' } });
    expect(report.outcome).toBe('conformant');
  });

  it('counts TODO reasons so that every run can warn about them', () => {
    const report = applyExpectations(makeReport(BASE), file({ rule: 'MAP-05', verdict: 'fail', reason: TODO_REASON }, { rule: 'CRASH-01', verdict: 'error', reason: 'todo: later' }), 'f');
    expect(report.expectations?.todo).toEqual(['rule MAP-05', 'rule CRASH-01']);
    expect(renderMarkdown(report)).toContain('**Warning:** 2 entries still have a TODO reason');
  });

  it('refuses a report that already has expectations applied', () => {
    const once = applyExpectations(makeReport(BASE), file({ rule: 'MAP-05', verdict: 'fail', reason: 'r' }), 'f');
    expect(() => applyExpectations(once, file({ rule: 'MAP-05', verdict: 'fail', reason: 'r' }), 'f')).toThrow(/already has expectations applied/);
  });
});

describe('updateExpectations', () => {
  it('writes an entry with a TODO reason for every failing or erroring rule, of every level, in catalogue order', () => {
    const update = updateExpectations(makeReport(BASE), undefined, 'cmd:impl');
    expect(update.content).toEqual({
      implementation: 'cmd:impl',
      expectations: [
        { rule: 'MAP-05', verdict: 'fail', reason: TODO_REASON },
        { rule: 'CRASH-01', verdict: 'error', reason: TODO_REASON },
        { rule: 'REF-01', verdict: 'fail', reason: TODO_REASON },
      ],
    });
    expect(update.added).toEqual(['rule MAP-05', 'rule CRASH-01', 'rule REF-01']);
    // Applied to the same run, every entry is met.
    const report = applyExpectations(makeReport(BASE), update.content, 'f');
    expect(report.expectations).toMatchObject({ met: 3, unexpectedPasses: 0, mismatches: 0 });
    expect(report.outcome).toBe('conformant');
  });

  it('keeps reasons and issues of entries that still apply, updates changed verdicts, drops passing and unknown ones', () => {
    const previous: ExpectationsFile = {
      $schema: '../schemas/expectations.json',
      implementation: 'the name',
      expectations: [
        { rule: 'OK-01', verdict: 'fail', reason: 'fixed since', issue: 'https://example.com/1' },
        { rule: 'MAP-05', verdict: 'error', reason: 'maps twice', issue: 'https://example.com/2' },
        { rule: 'GONE-01', verdict: 'fail', reason: 'deleted rule' },
        { rule: 'NA-01', verdict: 'not-applicable', reason: 'no MDLs' },
        { rule: 'CRASH-01', verdict: 'error', reason: 'crashes', issue: 'https://example.com/3' },
      ],
    };
    const update = updateExpectations(makeReport(BASE), previous, 'ignored');
    expect(update.content).toEqual({
      $schema: '../schemas/expectations.json',
      implementation: 'the name',
      expectations: [
        { rule: 'MAP-05', verdict: 'fail', reason: 'maps twice', issue: 'https://example.com/2' },
        { rule: 'CRASH-01', verdict: 'error', reason: 'crashes', issue: 'https://example.com/3' },
        { rule: 'NA-01', verdict: 'not-applicable', reason: 'no MDLs' },
        { rule: 'REF-01', verdict: 'fail', reason: TODO_REASON },
      ],
    });
    expect(update.removed.map((r) => r.why)).toEqual([expect.stringMatching(/names nothing/), 'it passes now']);
    expect(update.changed).toEqual([{ target: 'rule MAP-05', from: 'error', to: 'fail' }]);
    expect(update.added).toEqual(['rule REF-01']);
  });

  it('splits a rule entry whose scenarios now disagree, and adds scenario entries next to scenario entries', () => {
    const measured = makeReport([
      { id: 'OK-01', scenarios: ['pass'] },
      { id: 'MIX-01', scenarios: ['fail', 'error', 'pass'], names: ['f', 'e', 'p'] },
      { id: 'SC-01', scenarios: ['fail', 'fail'], names: ['one', 'two'] },
      { id: 'NR-01', scenarios: ['not-run'] },
    ]);
    const update = updateExpectations(
      measured,
      file({ rule: 'MIX-01', verdict: 'fail', reason: 'why', issue: 'https://example.com/9' }, { scenario: 'one', verdict: 'fail', reason: 'first' }, { rule: 'NR-01', verdict: 'fail', reason: 'filtered out' }),
      'x',
    );
    expect(update.content.expectations).toEqual([
      { rule: 'MIX-01', scenario: 'f', verdict: 'fail', reason: 'why', issue: 'https://example.com/9' },
      { rule: 'MIX-01', scenario: 'e', verdict: 'error', reason: 'why', issue: 'https://example.com/9' },
      { scenario: 'one', verdict: 'fail', reason: 'first' },
      { rule: 'SC-01', scenario: 'two', verdict: 'fail', reason: TODO_REASON },
      { rule: 'NR-01', verdict: 'fail', reason: 'filtered out' },
    ]);
    const report = applyExpectations(measured, update.content, 'f');
    expect(report.expectations).toMatchObject({ met: 4, notRun: 1, unexpectedPasses: 0, mismatches: 0 });
  });
});

describe('loading and checking a file against schemas/expectations.json', () => {
  it('accepts the documented format', async () => {
    expect(
      await validateExpectations({
        $schema: '../schemas/expectations.json',
        implementation: 'cmd:python3 impl.py',
        expectations: [
          { rule: 'MAP-05', verdict: 'fail', reason: 'why', issue: 'https://example.com/x' },
          { scenario: 'a scenario', verdict: 'not-applicable', reason: 'why' },
          { rule: 'MAP-05', scenario: 'a scenario', verdict: 'error', reason: 'why' },
        ],
      }),
    ).toEqual([]);
  });

  it('says what is wrong, one line per problem', async () => {
    expect(await validateExpectations({ expectations: [{ verdict: 'pass', reason: '', rule: 'map-5', issue: 'ftp://x', extra: 1 }] })).toEqual([
      '(top level): must have required property \'implementation\'',
      '/expectations/0: unknown property "extra"',
      '/expectations/0/rule: must match pattern "^[A-Z]+-[0-9]{2}$"',
      '/expectations/0/verdict: must be one of "fail", "error", "not-applicable"',
      '/expectations/0/reason: must NOT have fewer than 1 characters',
      '/expectations/0/issue: must match pattern "^https?://[^\\s]+$"',
    ]);
    expect(await validateExpectations({ implementation: 'x', expectations: [{ verdict: 'fail', reason: 'r' }] })).toEqual(['/expectations/0: names neither a "rule" nor a "scenario"']);
  });

  it('reads a file; a missing, broken or invalid one is an ExpectationsFileError; missing is allowed for an update', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-expect-'));
    await writeFile(path.join(dir, 'ok.json'), JSON.stringify(file({ rule: 'A-01', verdict: 'fail', reason: 'r' })));
    await writeFile(path.join(dir, 'broken.json'), '{ nope');
    await writeFile(path.join(dir, 'invalid.json'), '{"implementation": "x", "expectations": {}}');
    expect((await loadExpectations('ok.json', dir)).content?.expectations).toHaveLength(1);
    await expect(loadExpectations('missing.json', dir)).rejects.toThrow(/cannot read expectations file missing\.json/);
    expect(await loadExpectations('missing.json', dir, { allowMissing: true })).toEqual({ file: 'missing.json', path: path.join(dir, 'missing.json'), content: undefined });
    await expect(loadExpectations('broken.json', dir)).rejects.toThrow(/broken\.json is not JSON/);
    await expect(loadExpectations('invalid.json', dir)).rejects.toBeInstanceOf(ExpectationsFileError);
    await expect(loadExpectations('invalid.json', dir)).rejects.toThrow(/\/expectations: must be array/);
  });
});

describe('which file goes with which implementation', () => {
  const loaded = (name: string, implementation?: string): LoadedExpectations => ({
    file: name,
    path: `/x/${name}`,
    content: implementation === undefined ? undefined : { implementation, expectations: [] },
  });
  const impls = [{ spec: 'inproc:reference', name: 'reference model' }, { spec: 'cmd:python3 impl.py', name: 'pyvmbus' }];

  it('by spec or by reported name', () => {
    const { files } = assignExpectations([loaded('py.json', 'pyvmbus'), loaded('ref.json', 'inproc:reference')], impls);
    expect(files.map((f) => f?.file)).toEqual(['ref.json', 'py.json']);
    expect(assignExpectations([loaded('py.json', 'cmd:python3 impl.py')], impls).files.map((f) => f?.file)).toEqual([undefined, 'py.json']);
  });

  it('a file that does not exist yet goes with the only implementation', () => {
    expect(assignExpectations([loaded('new.json')], [impls[0]!]).files[0]?.file).toBe('new.json');
    expect(() => assignExpectations([loaded('new.json')], impls)).toThrow(/does not exist yet, and with several --impl/);
  });

  it('refuses a file for no implementation of the run, for several, and two files for one', () => {
    expect(() => assignExpectations([loaded('x.json', 'other')], impls)).toThrow(
      'expectations file x.json is for implementation "other", which is none of this run\'s: "inproc:reference" ("reference model"), "cmd:python3 impl.py" ("pyvmbus")',
    );
    expect(() => assignExpectations([loaded('x.json', 'same')], [{ spec: 'a:1', name: 'same' }, { spec: 'a:2', name: 'same' }])).toThrow(/names 2 implementations of this run .*: name one by its spec/);
    expect(() => assignExpectations([loaded('a.json', 'pyvmbus'), loaded('b.json', 'cmd:python3 impl.py')], impls)).toThrow(/a\.json and b\.json are both for implementation/);
    expect(assignExpectations([loaded('x.json', 'other')], impls, { lenient: true }).unmatched).toEqual(['x.json']);
  });
});
