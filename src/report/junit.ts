/**
 * `junit.xml`, written from the conformance report (not by Cucumber's formatter), so that CI tools
 * read it as the report judges:
 *
 * - one `<testsuite>` per feature file, one `<testcase>` per scenario, named `<rule id>: <scenario>`
 *   (classname the rule id, `file` and `line` the scenario's);
 * - a failure (an assertion) of a counted rule is `<failure>`; an error (a crash, a hang, a protocol
 *   error, an undefined step) is `<error>`, whatever the rule's level;
 * - not applicable (a missing capability) is `<skipped>`, and so is a failure of a rule the profile
 *   does not count (a reference choice made differently, under the normative profile) and a known
 *   failure: they do not fail the run, so they are not failures here;
 * - a scenario of a narrowed run (`--tags`, `--name`, a shard) that was not selected is left out;
 * - the report's problems, and an interruption, are `<error>`s of a testsuite `run`.
 *
 * Every string goes through {@link xmlText} or {@link xmlAttribute}: the five special characters
 * are references, characters XML 1.0 does not allow (NUL and the other C0 controls but tab, LF and
 * CR; U+FFFE, U+FFFF; lone surrogates), and DEL and the C1 controls, become U+FFFD, and CR, LF and tab in attributes are
 * character references, so that no string an implementation sends (`]]>` any number of times
 * included: there is no CDATA section) can make the file malformed or change its structure.
 */
import { isCounted } from './build.js';
import { firstLine, isNarrowed } from './judgement.js';
import type { ConformanceReport, RuleResult, ScenarioResult } from './types.js';

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const TEXT_REFERENCES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };
const ATTRIBUTE_REFERENCES: Record<string, string> = { ...TEXT_REFERENCES, '\n': '&#10;', '\t': '&#9;' };

/** Character data: special characters as references, characters XML does not allow as U+FFFD, CR kept as `&#13;`. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"'\r]/g, (c) => TEXT_REFERENCES[c]!);
}

/** A double-quoted attribute value: as {@link xmlText}, and LF and tab as references (a parser would fold them into spaces). */
export function xmlAttribute(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"'\r\n\t]/g, (c) => ATTRIBUTE_REFERENCES[c]!);
}

const ATTRIBUTE_MAX = 500;
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

type Outcome =
  | { readonly kind: 'pass' }
  | { readonly kind: 'failure' | 'error' | 'skipped'; readonly type: string; readonly message: string; readonly body?: string }
  | { readonly kind: 'omit' };

function outcomeOf(rule: RuleResult, scenario: ScenarioResult, report: ConformanceReport, narrowed: boolean): Outcome {
  const counted = isCounted(rule, report.profile);
  const message = scenario.message ?? '';
  const first = firstLine(message);
  const at = scenario.step !== undefined ? ` (at: ${scenario.step})` : '';
  switch (scenario.verdict) {
    case 'pass':
      return { kind: 'pass' };
    case 'fail':
      if (counted || scenario.contract === true) {
        return { kind: 'failure', type: scenario.contract === true ? 'contract' : 'fail', message: first || 'failed', body: `${message}${at}` };
      }
      return { kind: 'skipped', type: 'reference-choice', message: `differs (reference choice), not counted by the ${report.profile} profile: ${first}` };
    case 'error':
      return { kind: 'error', type: 'error', message: first || 'error', body: `${message}${at}` };
    case 'not-applicable':
      return { kind: 'skipped', type: 'not-applicable', message: `not applicable${scenario.missing !== undefined ? `: the implementation lacks ${scenario.missing.join(', ')}` : ''}` };
    case 'known-failure':
      return { kind: 'skipped', type: 'known-failure', message: `known failure: ${scenario.expectation?.reason ?? rule.expectation?.reason ?? 'expected by the expectations file'}` };
    case 'unexpected-pass':
      return { kind: 'failure', type: 'unexpected-pass', message: 'passed, but the expectations file expects otherwise: update it' };
    case 'not-run':
      if (narrowed) return { kind: 'omit' };
      return counted
        ? { kind: 'failure', type: 'not-run', message: `not run${message !== '' ? `: ${first}` : ''}: conformance is not established` }
        : { kind: 'skipped', type: 'not-run', message: `not run${message !== '' ? `: ${first}` : ''}` };
  }
}

function testcase(rule: RuleResult, scenario: ScenarioResult, outcome: Exclude<Outcome, { kind: 'omit' }>): string {
  const name = `${rule.id}: ${scenario.name}`;
  const open = `    <testcase name="${xmlAttribute(cut(name, ATTRIBUTE_MAX))}" classname="${xmlAttribute(rule.id)}" file="${xmlAttribute(rule.feature)}" line="${scenario.line}" time="0"`;
  if (outcome.kind === 'pass') return `${open}/>`;
  const attributes = `message="${xmlAttribute(cut(outcome.message, ATTRIBUTE_MAX))}" type="${xmlAttribute(outcome.type)}"`;
  const inner = outcome.body !== undefined && outcome.body !== '' ? `<${outcome.kind} ${attributes}>${xmlText(outcome.body)}</${outcome.kind}>` : `<${outcome.kind} ${attributes}/>`;
  return `${open}>\n      ${inner}\n    </testcase>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function suite(name: string, file: string | undefined, cases: readonly { xml: string; kind: string }[], timestamp: string, properties: string): { xml: string; counts: Counts } {
  const counts: Counts = {
    tests: cases.length,
    failures: cases.filter((c) => c.kind === 'failure').length,
    errors: cases.filter((c) => c.kind === 'error').length,
    skipped: cases.filter((c) => c.kind === 'skipped').length,
  };
  const fileAttribute = file !== undefined ? ` file="${xmlAttribute(file)}"` : '';
  const xml = [
    `  <testsuite name="${xmlAttribute(name)}"${fileAttribute} tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="0" timestamp="${xmlAttribute(timestamp)}">`,
    properties,
    ...cases.map((c) => c.xml),
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

export function renderJunit(report: ConformanceReport): string {
  const narrowed = isNarrowed(report);
  const timestamp = report.generatedAt.replace(/Z$/, '');
  const byFeature = new Map<string, { name: string; cases: { xml: string; kind: string }[] }>();
  for (const rule of report.rules) {
    const entry = byFeature.get(rule.feature) ?? { name: `${rule.featureName} (${rule.feature})`, cases: [] };
    for (const scenario of rule.scenarios) {
      const outcome = outcomeOf(rule, scenario, report, narrowed);
      if (outcome.kind === 'omit') continue;
      entry.cases.push({ xml: testcase(rule, scenario, outcome), kind: outcome.kind });
    }
    byFeature.set(rule.feature, entry);
  }
  const properties = propertiesXml(report);
  const suites = [...byFeature.entries()].filter(([, e]) => e.cases.length > 0).map(([file, e]) => suite(e.name, file, e.cases, timestamp, properties));

  const runCases: { xml: string; kind: string }[] = [];
  const runCase = (name: string, type: string, message: string) =>
    runCases.push({
      kind: 'error',
      xml: `    <testcase name="${xmlAttribute(cut(name, ATTRIBUTE_MAX))}" classname="run" time="0">\n      <error message="${xmlAttribute(cut(firstLine(message), ATTRIBUTE_MAX))}" type="${xmlAttribute(type)}">${xmlText(message)}</error>\n    </testcase>`,
    });
  for (const problem of report.problems) runCase(`problem: ${problem.kind}`, problem.kind, problem.message);
  if (report.incomplete !== undefined) runCase('run interrupted', 'interrupted', report.incomplete.message);
  if (runCases.length > 0) suites.push(suite('run', undefined, runCases, timestamp, properties));

  const total = suites.reduce<Counts>((a, s) => ({ tests: a.tests + s.counts.tests, failures: a.failures + s.counts.failures, errors: a.errors + s.counts.errors, skipped: a.skipped + s.counts.skipped }), { tests: 0, failures: 0, errors: 0, skipped: 0 });
  const impl = report.implementation;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttribute(`vmbus-conformance: ${impl.name} ${impl.version}`)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="0">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

/** The run's facts as `<properties>` of each testsuite. */
function propertiesXml(report: ConformanceReport): string {
  const impl = report.implementation;
  const properties = [
    ['implementation', `${impl.name} ${impl.version}`],
    ['language', impl.language],
    ['profile', report.profile],
    ['outcome', report.outcome],
    ...(report.scope?.narrowedBy !== undefined ? [['narrowed by', report.scope.narrowedBy]] : []),
    ...(report.run.shard !== undefined ? [['shard', report.run.shard]] : []),
    ...(report.incomplete !== undefined ? [['incomplete', report.incomplete.message]] : []),
  ];
  return ['    <properties>', ...properties.map(([name, value]) => `      <property name="${xmlAttribute(name!)}" value="${xmlAttribute(cut(value!, ATTRIBUTE_MAX))}"/>`), '    </properties>'].join('\n');
}
