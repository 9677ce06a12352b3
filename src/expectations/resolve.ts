/**
 * Finds what each expectations entry names in a report: a rule by id, a scenario by name (unique
 * in the suite), or a scenario of a rule. An entry that names nothing, names several scenarios, or
 * names what another entry already names is a problem of kind `expectation-error`.
 */
import type { ReportProblem, RuleResult } from '../report/types.js';
import { describeTarget, type ExpectationEntry } from './types.js';

export interface ResolvedEntry {
  /** Index in the file's `expectations` array. */
  readonly index: number;
  readonly entry: ExpectationEntry;
  /** Index of the rule in the report's rules. */
  readonly rule: number;
  /** Index of the scenario in the rule's scenarios; absent for a rule entry. */
  readonly scenario?: number;
}

export interface Resolution {
  readonly resolved: readonly ResolvedEntry[];
  readonly problems: readonly ReportProblem[];
}

function problem(file: string, index: number, entry: ExpectationEntry, text: string): ReportProblem {
  return { kind: 'expectation-error', file, message: `${file}: expectations[${index}] (${describeTarget(entry)}): ${text}` };
}

export function resolveEntries(rules: readonly RuleResult[], entries: readonly ExpectationEntry[], file: string): Resolution {
  const resolved: ResolvedEntry[] = [];
  const problems: ReportProblem[] = [];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  /** Who claimed a rule as a whole, and who claimed which of its scenarios. */
  const ruleClaims = new Map<number, number>();
  const scenarioClaims = new Map<string, number>();
  const claimsOfRule = new Map<number, number[]>();

  entries.forEach((entry, index) => {
    let target: { rule: number; scenario?: number } | undefined;
    if (entry.rule !== undefined) {
      const r = ruleIndex.get(entry.rule);
      if (r === undefined) {
        problems.push(problem(file, index, entry, `there is no rule ${entry.rule} in the catalogue (see \`vmbus-conformance list-rules\`)`));
        return;
      }
      if (entry.scenario === undefined) target = { rule: r };
      else {
        const matches = rules[r]!.scenarios.flatMap((s, i) => (s.name === entry.scenario ? [i] : []));
        if (matches.length === 0) {
          problems.push(problem(file, index, entry, `rule ${entry.rule} has no scenario of that name`));
          return;
        }
        if (matches.length > 1) {
          problems.push(problem(file, index, entry, `rule ${entry.rule} has ${matches.length} scenarios of that name`));
          return;
        }
        target = { rule: r, scenario: matches[0]! };
      }
    } else {
      const matches = rules.flatMap((r, ri) => r.scenarios.flatMap((s, si) => (s.name === entry.scenario ? [{ rule: ri, scenario: si }] : [])));
      if (matches.length === 0) {
        problems.push(problem(file, index, entry, 'there is no scenario of that name in the suite'));
        return;
      }
      if (matches.length > 1) {
        const where = matches.map((m) => `${rules[m.rule]!.id} line ${rules[m.rule]!.scenarios[m.scenario]!.line}`).join(', ');
        problems.push(problem(file, index, entry, `${matches.length} scenarios have that name (${where}): add "rule" to say which`));
        return;
      }
      target = matches[0]!;
    }

    const rule = rules[target.rule]!;
    if (target.scenario === undefined) {
      const earlier = ruleClaims.get(target.rule) ?? claimsOfRule.get(target.rule)?.[0];
      if (earlier !== undefined) {
        problems.push(problem(file, index, entry, `expectations[${earlier}] already names rule ${rule.id} or one of its scenarios; one entry per rule, or entries for its scenarios`));
        return;
      }
      ruleClaims.set(target.rule, index);
    } else {
      const key = `${target.rule}/${target.scenario}`;
      const earlier = scenarioClaims.get(key) ?? ruleClaims.get(target.rule);
      if (earlier !== undefined) {
        problems.push(problem(file, index, entry, `expectations[${earlier}] already names this scenario or its rule ${rule.id}`));
        return;
      }
      scenarioClaims.set(key, index);
      claimsOfRule.set(target.rule, [...(claimsOfRule.get(target.rule) ?? []), index]);
    }
    resolved.push({ index, entry, ...target });
  });
  return { resolved, problems };
}
