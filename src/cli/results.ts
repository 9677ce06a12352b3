/**
 * The end of a run on the terminal: one line per rule that did not pass (id, verdict, scenario,
 * first message), failures first, then the result line that says how much was checked and which
 * capabilities were missing. Everything from an implementation is escaped for a terminal (control
 * characters, a CR alone and line ends shown as `\r`, `\n`, `\x1b`; see `terminalText`).
 */
import { terminalText } from '../report/comparison/escape.js';
import { firstLine, resultLine, rulesNotPassed } from '../report/judgement.js';
import type { ConformanceReport } from '../report/types.js';

const STANDING_NOTE = {
  failure: '',
  differs: ' [not counted]',
  known: ' [expected]',
  uncounted: ' [not counted]',
} as const;

/**
 * `MAP-04 FAIL (normative): second map fails: the second map succeeded`, one per rule that did
 * not pass, under a heading line; none when every rule passed.
 */
export function notPassedLines(report: ConformanceReport): string[] {
  const entries = rulesNotPassed(report);
  if (entries.length === 0) return [];
  const failures = entries.filter((e) => e.standing === 'failure').length;
  const lines = [`rules that did not pass: ${entries.length}${failures !== entries.length ? ` (${failures} fail the run)` : ''}`];
  for (const e of entries) {
    const scenario = e.scenario !== undefined ? `: ${terminalText(e.scenario, 100)}` : '';
    const message = e.message !== undefined ? `: ${terminalText(firstLine(e.message), 200)}` : '';
    lines.push(`  ${e.rule.id} ${e.verdict} (${e.rule.level})${STANDING_NOTE[e.standing]}${scenario}${message}`);
  }
  return lines;
}

/** The result line, safe for a terminal (the narrowing is the user's text). */
export function terminalResultLine(report: ConformanceReport): string {
  return terminalText(resultLine(report), 2000);
}
