import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalogue } from '../../catalogue/catalogue.js';
import { buildReport } from '../../report/build.js';
import { REPORT_FORMATS, writeReports } from '../../report/formats.js';
import { readHarnessInfo } from '../../report/harness.js';
import { denominatorLines } from '../../report/markdown.js';
import { parseMessages } from '../../report/ndjson.js';
import type { ConformanceReport, ImplementationSummary, Profile, ReportProblem } from '../../report/types.js';
import type { CommandContext } from '../context.js';
import { CUCUMBER_OUTPUTS } from '../cucumber.js';
import { ExitError, exitForOutcome } from '../exit.js';
import { writeLine } from '../io.js';
import { suitePaths } from '../paths.js';

export interface RunOptions {
  /** Implementation spec, e.g. `inproc:reference`. */
  readonly impl: string;
  readonly profile: Profile;
  /** Output directory, relative to the cwd. */
  readonly out: string;
  /** Cucumber tag expression. */
  readonly tags?: string;
}

export const RUN_DEFAULTS = { impl: 'inproc:reference', profile: 'normative', out: 'reports' } as const satisfies RunOptions;

const OUTCOME_TEXT = {
  conformant: 'CONFORMANT',
  'non-conformant': 'NOT CONFORMANT',
  'harness-error': 'HARNESS OR IMPLEMENTATION ERROR',
} as const;

/** Prints the denominators, the result and the problems of a report. */
export function printReportSummary(report: ConformanceReport, context: CommandContext): void {
  const { stdout, stderr } = context.io;
  for (const line of denominatorLines(report)) writeLine(stdout, line);
  writeLine(stdout, `result: ${OUTCOME_TEXT[report.outcome]} (profile ${report.profile})`);
  for (const problem of report.problems) writeLine(stderr, `problem: ${problem.message}`);
  // The plain closing line CI systems read ("N passed, N failed"): scenarios of every rule.
  const verdicts = report.rules.flatMap((rule) => rule.scenarios.map((scenario) => scenario.verdict));
  const count = (...wanted: string[]) => verdicts.filter((v) => wanted.includes(v)).length;
  writeLine(stdout, `scenarios: ${count('pass')} passed, ${count('fail', 'error')} failed, ${count('not-applicable')} skipped`);
}

async function readEnvelopes(file: string): Promise<{ envelopes: ReturnType<typeof parseMessages>['envelopes']; problems: ReportProblem[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { envelopes: [], problems: [] };
  }
  const parsed = parseMessages(text, path.basename(file));
  return { envelopes: parsed.envelopes, problems: parsed.problems };
}

/**
 * `run`: runs the features against an implementation, then writes Cucumber's reports
 * (cucumber.html, messages.ndjson, junit.xml) and the conformance reports (conformance.json,
 * conformance.md) into the output directory, whatever the verdicts. Throws {@link ExitError}
 * unless the implementation is conformant under the profile.
 */
export async function runCommand(options: RunOptions, context: CommandContext): Promise<ConformanceReport> {
  const { io } = context;
  const paths = suitePaths(context.root);
  const outDir = path.resolve(io.cwd, options.out);
  const problems: ReportProblem[] = [];

  let implementation: ImplementationSummary;
  let resolved = true;
  try {
    implementation = await context.describeImplementation(options.impl);
  } catch (error) {
    if (error instanceof ExitError) {
      // A spec that names no implementation: usage, not a run.
      writeLine(io.stderr, error.message);
      throw new ExitError(error.code, error.message);
    }
    resolved = false;
    implementation = { name: options.impl, version: 'unknown', language: 'unknown' };
    problems.push({ kind: 'implementation-error', message: `cannot resolve implementation "${options.impl}": ${(error as Error).message}` });
  }

  const catalogue = await loadCatalogue(paths.featureDir, { root: context.root });

  let envelopes: ReturnType<typeof parseMessages>['envelopes'] = [];
  if (resolved) {
    const result = await context.runCucumber({
      cwd: context.root,
      paths: paths.featureGlobs,
      importPaths: paths.stepGlobs,
      outDir,
      ...(options.tags !== undefined ? { tags: options.tags } : {}),
      worldParameters: { implementation: options.impl },
      stdout: io.stdout,
      stderr: io.stderr,
      env: io.env,
      interactive: io.isTTY && !io.ci,
    });
    if (result.error) {
      problems.push({ kind: 'cucumber-error', message: `Cucumber failed: ${result.error.message}` });
    }
    const read = await readEnvelopes(result.messagesFile);
    envelopes = read.envelopes;
    problems.push(...read.problems);
  }

  const report = buildReport({
    catalogue,
    envelopes,
    harness: await readHarnessInfo(context.root),
    implementation,
    profile: options.profile,
    generatedAt: (context.now?.() ?? new Date()).toISOString(),
    problems,
  });
  await writeReports(report, outDir);

  writeLine(io.stdout);
  const files = [...Object.values(REPORT_FORMATS).map((f) => f.file), ...Object.values(CUCUMBER_OUTPUTS)];
  writeLine(io.stdout, `reports: ${files.map((f) => path.relative(io.cwd, path.join(outDir, f)) || f).join(', ')}`);
  printReportSummary(report, context);
  exitForOutcome(report.outcome);
  return report;
}
