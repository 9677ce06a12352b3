/**
 * `summary.md`: the result of a run sized for a pull-request comment (at most 65,536 characters)
 * and GitHub's job summary (`$GITHUB_STEP_SUMMARY`): the result and what was checked, the
 * problems, and the rules that did not pass, failures first, one table row each with its rule
 * id and first message. Never longer than {@link SUMMARY_MAX_CHARS}: rows that do not fit are left
 * out with a note saying how many, and where the rest is (`conformance.md`, `conformance.json`).
 */
import { markdownText } from './comparison/escape.js';
import { rulesNotPassed } from './judgement.js';
import { judgedLines, notPassedRow } from './markdown.js';
import type { ConformanceReport } from './types.js';

/** The hard cap on `summary.md`, in characters (UTF-16 code units, as GitHub counts). */
export const SUMMARY_MAX_CHARS = 50_000;

const MESSAGE_MAX = 300;
const PROBLEMS_MAX = 20;

/**
 * Renders the summary; `notices` (an interrupted run, a shard) go after the title. The result is
 * at most `max` characters whatever the report holds.
 */
export function renderSummary(report: ConformanceReport, notices: readonly string[] = [], max = SUMMARY_MAX_CHARS): string {
  const impl = report.implementation;
  const head: string[] = [
    `## VMBus GPADL conformance: ${markdownText(impl.name, 200)} ${markdownText(impl.version, 100)}`,
    '',
    ...notices.flatMap((n) => [n, '']),
    ...judgedLines(report).map((l) => (l.length > 2000 ? `${l.slice(0, 1999)}…` : l)),
    '',
  ];
  if (report.problems.length > 0) {
    head.push('### Problems', '');
    for (const p of report.problems.slice(0, PROBLEMS_MAX)) head.push(`- ${markdownText(p.message, MESSAGE_MAX)}`);
    if (report.problems.length > PROBLEMS_MAX) head.push(`- … and ${report.problems.length - PROBLEMS_MAX} more: see conformance.md`);
    head.push('');
  }
  const entries = rulesNotPassed(report);
  const failures = entries.filter((e) => e.standing === 'failure');
  const others = entries.filter((e) => e.standing !== 'failure');
  const footer = ['', 'Every rule, scenario and message: `conformance.md`; as data: `conformance.json`; for CI: `junit.xml`.', ''];

  const sections: { title: string; rows: string[] }[] = [];
  if (failures.length > 0) sections.push({ title: `### Rules that did not pass: ${failures.length}`, rows: failures.map((e) => notPassedRow(e, MESSAGE_MAX)) });
  if (others.length > 0) {
    sections.push({
      title: `### Not counted against the run: ${others.length} (reference choices made differently, known failures)`,
      rows: others.map((e) => notPassedRow(e, MESSAGE_MAX)),
    });
  }

  const out: string[] = [...head];
  let length = out.join('\n').length;
  const reserve = footer.join('\n').length + 200;
  let left = 0;
  for (const section of sections) {
    const start = [section.title, '', '| rule | level | verdict | scenario | first message |', '|---|---|---|---|---|'];
    const startLength = start.join('\n').length + 1;
    if (left > 0 || length + startLength + reserve > max) {
      left += section.rows.length;
      continue;
    }
    out.push(...start);
    length += startLength;
    for (const row of section.rows) {
      if (left > 0 || length + row.length + 1 + reserve > max) {
        left += 1;
        continue;
      }
      out.push(row);
      length += row.length + 1;
    }
    out.push('');
    length += 1;
  }
  if (left > 0) out.push(`**${left} more rules that did not pass are left out to keep this summary under ${max} characters: see conformance.md.**`);
  out.push(...footer);
  const text = `${out.join('\n').trimEnd()}\n`;
  if (text.length <= max) return text;
  // The head alone was too long (very many problems): cut at a line, with a note.
  const note = `\n\n**Cut to ${max} characters: see conformance.md.**\n`;
  const cut = text.slice(0, max - note.length);
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${note}`;
}

