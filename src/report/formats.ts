/**
 * The report writers, one file each, keyed by format name.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderMarkdown } from './markdown.js';
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

export const REPORT_FORMATS = {
  json: {
    file: 'conformance.json',
    description: 'machine-readable verdicts per rule and scenario, totals per level, conformance and problems',
    render: renderJson,
  },
  markdown: {
    file: 'conformance.md',
    description: 'human summary: denominators per level, a table of rules per feature, details of every rule that did not pass',
    render: renderMarkdown,
  },
} as const satisfies Record<string, ReportFormat>;

export type ReportFormatName = keyof typeof REPORT_FORMATS;
export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormatName[];

/** Writes the report in the given formats (all by default) into `outDir`; returns the paths written. */
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
    await writeFile(file, format.render(report), 'utf8');
    written.push(file);
  }
  return written;
}
