/**
 * The report writers, one file each, keyed by format name.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSummary } from './summary.js';
import type { ConformanceReport } from './types.js';

export interface ReportFormat {
  /** File name inside the output directory. */
  readonly file: string;
  /** One line: what the file is for. */
  readonly description: string;
  readonly render: (report: ConformanceReport) => string;
}

export function renderJson(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * What the Markdown says before everything else about a run that is not the whole story: an
 * incomplete (interrupted) run, a shard of a run.
 */
export function runNotices(report: ConformanceReport): string[] {
  const notices: string[] = [];
  if (report.incomplete !== undefined) notices.push(`> **INCOMPLETE:** ${report.incomplete.message}`);
  if (report.run.shard !== undefined) {
    notices.push(`> **Shard ${report.run.shard}:** this run ran only its share of the scenarios and judges only those; \`vmbus-conformance merge\` combines the shards into the report of the whole run.`);
  }
  return notices;
}

/** The Markdown report, with the notices of {@link runNotices} after its title. */
export function renderMarkdownWithNotices(report: ConformanceReport): string {
  const markdown = renderMarkdown(report);
  const notices = runNotices(report);
  if (notices.length === 0) return markdown;
  const block = `${notices.join('\n>\n')}\n\n`;
  const firstLineEnd = markdown.indexOf('\n');
  if (markdown.startsWith('# ') && firstLineEnd !== -1) {
    const rest = markdown.slice(firstLineEnd + 1).replace(/^\n*/, '');
    return `${markdown.slice(0, firstLineEnd + 1)}\n${block}${rest}`;
  }
  return `${block}${markdown}`;
}

export const REPORT_FORMATS = {
  json: {
    file: 'conformance.json',
    description: 'machine-readable verdicts per rule and scenario, totals per level, conformance and problems',
    render: renderJson,
  },
  markdown: {
    file: 'conformance.md',
    description: 'human summary: denominators per level, a table of rules per feature, details of every rule that did not pass',
    render: renderMarkdownWithNotices,
  },
  summary: {
    file: 'summary.md',
    description: 'the result and the rules that did not pass, failures first, under 50,000 characters: for a pull-request comment or $GITHUB_STEP_SUMMARY',
    render: (report: ConformanceReport) => renderSummary(report, runNotices(report)),
  },
  junit: {
    file: 'junit.xml',
    description: 'one test case per scenario, named by rule id: failures, errors, and skipped (not applicable, reference choices under the normative profile, known failures)',
    render: renderJunit,
  },
} as const satisfies Record<string, ReportFormat>;

export type ReportFormatName = keyof typeof REPORT_FORMATS;
export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormatName[];

/** Writes the report in the given formats (all by default) into `outDir`, each file atomically; returns the paths written. */
export async function writeReports(
  report: ConformanceReport,
  outDir: string,
  formats: readonly ReportFormatName[] = REPORT_FORMAT_NAMES,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of formats) {
    const format: ReportFormat = REPORT_FORMATS[name];
    const file = path.join(outDir, format.file);
    await writeFileAtomic(file, format.render(report));
    written.push(file);
  }
  return written;
}
