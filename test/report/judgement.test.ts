/**
 * The words every format uses for what a run judged: the scope (halves, narrowing, shard,
 * fail-fast), the missing capabilities, the result line, and the rules that did not pass in order.
 */
import { describe, expect, it } from 'vitest';
import { capabilitiesReport } from '../../src/report/build.js';
import { missingCapabilitiesText, resultLine, rulesNotPassed, scopeText } from '../../src/report/judgement.js';
import type { ConformanceReport, RuleResult, Verdict } from '../../src/report/types.js';

const rule = (id: string, level: 'normative' | 'reference', verdict: Verdict, over: Partial<RuleResult> = {}): RuleResult => ({
  id, level, title: 't', statement: '', source: 's', feature: 'f', featureName: 'F', line: 1, spec: [], choices: [], requires: [], halves: ['guest'], verdict,
  scenarios: [{ name: `scenario of ${id}`, line: 2, verdict, ...(verdict === 'pass' ? {} : { message: `message of ${id}\nsecond line` }) }],
  ...over,
});

function report(over: Partial<ConformanceReport>): ConformanceReport {
  return {
    harness: { name: 'h', version: '1' },
    implementation: { name: 'i', version: '1', language: 'x' },
    profile: 'normative',
    generatedAt: 'now',
    run: { finished: true },
    totals: { normative: { rules: 3, checked: 2, pass: 1, fail: 1, error: 0, notApplicable: 1, notRun: 0 }, reference: { rules: 2, checked: 2, pass: 0, fail: 2, error: 0, notApplicable: 0, notRun: 0 } },
    conformant: false,
    outcome: 'non-conformant',
    rules: [],
    problems: [],
    ...over,
  };
}

describe('scope', () => {
  it('names the halves judged, the narrowing, the shard and fail-fast', () => {
    expect(scopeText(report({ scope: { halves: ['guest', 'host', 'whole'], rules: 138, selected: 138 } }))).toBe('the whole implementation, 138 rules');
    expect(scopeText(report({ scope: { halves: ['guest'], rules: 70, selected: 70 } }))).toBe("the guest half only (paired with the reference's other half), 70 rules");
    expect(scopeText(report({ scope: { halves: ['guest', 'host'], rules: 100, selected: 100 } }))).toBe('the guest and host halves (a pairing), 100 rules');
    expect(scopeText(report({ scope: { halves: ['guest', 'host', 'whole'], narrowedBy: '--tags @MAP-04', rules: 138, selected: 1 } }))).toBe('the whole implementation, narrowed to 1 of 138 rules by --tags @MAP-04');
    expect(scopeText(report({ run: { finished: true, shard: '2/3' }, scope: { halves: ['whole'], rules: 138, selected: 40, failFast: true } }))).toBe(
      'the whole implementation, shard 2/3: 40 of 138 rules, stopped at the first failure (--fail-fast)',
    );
  });
});

describe('capabilities', () => {
  it('lists what is missing with the rules it left unchecked, required ones marked, a required one missing even where no rule needed it', () => {
    const rules = [
      rule('A-01', 'normative', 'not-applicable', { scenarios: [{ name: 's', line: 1, verdict: 'not-applicable', missing: ['trace'] }] }),
      rule('B-01', 'normative', 'pass', { scenarios: [{ name: 's', line: 1, verdict: 'pass' }, { name: 't', line: 2, verdict: 'not-applicable', missing: ['trace', 'mdl'] }] }),
    ];
    const caps = capabilitiesReport(rules, new Set(['violations']), ['mdl', 'migration']);
    expect(caps).toEqual({
      claimed: ['violations'],
      missing: [
        { capability: 'trace', rules: ['A-01', 'B-01'], required: false },
        { capability: 'mdl', rules: ['B-01'], required: true },
        { capability: 'migration', rules: [], required: true },
      ],
      required: ['mdl', 'migration'],
    });
    expect(missingCapabilitiesText(report({ capabilities: caps }))).toBe('trace (2 rules), mdl (1 rule, REQUIRED), migration (0 rules, REQUIRED)');
    expect(capabilitiesReport([], new Set(), ['all']).missing.map((m) => m.capability)).toEqual(['trace', 'violations', 'mdl', 'lifecycle', 'wireHost', 'migration', 'hostControl']);
  });
});

describe('the result line and the rules that did not pass', () => {
  it('says how much was checked, what is missing and whether a required capability fails the run', () => {
    const r = report({ capabilities: { claimed: [], missing: [{ capability: 'trace', rules: ['A-01'], required: true }], required: ['trace'] } });
    expect(resultLine(r)).toBe('result: NOT CONFORMANT (profile normative): checked 2 of 3 normative rules; missing capabilities: trace (1 rule, REQUIRED); a required capability is missing (trace): not conformant');
    expect(resultLine(report({ profile: 'strict' }))).toBe('result: NOT CONFORMANT (profile strict): checked 2 of 3 normative rules and 2 of 2 reference rules');
  });

  it('failures first (an error of any level, a contract failure), then differences, then known failures', () => {
    const rules = [
      rule('R-01', 'reference', 'fail'),
      rule('N-01', 'normative', 'pass'),
      rule('R-02', 'reference', 'error'),
      rule('R-03', 'reference', 'fail', { contract: true }),
      rule('N-02', 'normative', 'known-failure'),
      rule('N-03', 'normative', 'fail'),
      rule('N-04', 'normative', 'not-applicable'),
    ];
    const list = rulesNotPassed(report({ rules }));
    expect(list.map((e) => [e.rule.id, e.standing, e.verdict])).toEqual([
      ['R-02', 'failure', 'ERROR'],
      ['R-03', 'failure', 'FAIL (contract of a claimed capability)'],
      ['N-03', 'failure', 'FAIL'],
      ['R-01', 'differs', 'differs (reference choice)'],
      ['N-02', 'known', 'known failure'],
    ]);
    expect(list[0]).toMatchObject({ scenario: 'scenario of R-02', message: 'message of R-02\nsecond line' });
    // A narrowed run leaves out what it did not select; an unnarrowed one lists a counted rule not run.
    const notRun = [rule('N-05', 'normative', 'not-run')];
    expect(rulesNotPassed(report({ rules: notRun })).map((e) => e.standing)).toEqual(['failure']);
    expect(rulesNotPassed(report({ rules: notRun, scope: { halves: ['whole'], narrowedBy: '--tags x', rules: 1, selected: 0 } }))).toEqual([]);
  });
});
