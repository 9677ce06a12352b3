import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { catalogueFromDocuments, loadCatalogue, type Catalogue } from '../../catalogue/catalogue.js';
import { loadSpec } from '../../catalogue/spec.js';
import {
  applyExpectations,
  assignExpectations,
  ExpectationsFileError,
  loadExpectations,
  renderExpectationsFile,
  updateExpectations,
  type LoadedExpectations,
} from '../../expectations/index.js';
import { writeFileAtomic } from '../../report/atomic.js';
import { buildReport, decideOutcome, isCounted, judgeOptionsOf } from '../../report/build.js';
import type { ComparisonFormat } from '../../report/comparison/index.js';
import { terminalText as escapeForTerminal } from '../../report/comparison/escape.js';
import { notPassedLines, terminalResultLine } from '../results.js';
import { Progress } from '../progress.js';
import { escapingStream } from '../terminalStream.js';
import { REPORT_FORMATS, writeReports } from '../../report/formats.js';
import { readHarnessInfo } from '../../report/harness.js';
import { denominatorLines } from '../../report/markdown.js';
import { parseMessages } from '../../report/ndjson.js';
import type { ConformanceReport, ImplementationSummary, Profile, ReportProblem, Verdict } from '../../report/types.js';
import type { CommandContext } from '../context.js';
import { CUCUMBER_OUTPUTS } from '../cucumber.js';
import { EXIT, ExitError, exitCodeForOutcome, type ExitCode } from '../exit.js';
import { abandonment, INTERRUPT_EXIT_CODES, INTERRUPT_GRACE_MS, INTERRUPTED_MEDIA_TYPE, interruptedBy } from '../interrupt.js';
import { writeLine } from '../io.js';
import { withOutDir } from '../outDir.js';
import { suitePaths } from '../paths.js';
import { judgedHalves, judgedTagExpression, pairSpec } from '../../pairing/pairFactory.js';
import { DEFAULT_TIMEOUT_MS, helloBudget } from '../../adapters/stdio/connector.js';

export interface RunOptions {
  /**
   * Implementation spec(s), e.g. `inproc:reference`. Several run one after the other, each into
   * `<out>/<slug>/`; one writes straight into `<out>`.
   */
  readonly impl: string | readonly string[];
  /**
   * Guest and host halves (docs/halves.md): every guest is paired with every host, each pairing a
   * run of its own (an interop matrix); a side not given is the reference model's half.
   */
  readonly guest?: readonly string[];
  readonly host?: readonly string[];
  readonly profile: Profile;
  /** Output directory, relative to the cwd. */
  readonly out: string;
  /** Cucumber tag expression. */
  readonly tags?: string;
  /** Expectations files, relative to the cwd; each goes with the implementation it names. */
  readonly expect?: readonly string[];
  /** Rewrite the expectations files from this run (needs `expect`). */
  readonly updateExpectations?: boolean;
  /** Per-call timeout for implementations in another process (world parameter `timeoutMs`). */
  readonly timeoutMs?: number;
  /** The handshake's budget for implementations in another process (world parameter `helloTimeoutMs`). */
  readonly helloTimeoutMs?: number;
  /**
   * After the first SIGINT or SIGTERM, how long the run may take to stop before it is abandoned
   * (default {@link INTERRUPT_GRACE_MS}): a CI runner that sends SIGKILL later than most may allow more.
   */
  readonly interruptGraceMs?: number;
  /** Validate every plug-in protocol message (world parameter `validateProtocol`). */
  readonly validateProtocol?: boolean;
  /** Cucumber's parallel worker processes. */
  readonly parallel?: number;
  /**
   * Run only shard `<index>/<total>` of the scenarios (Cucumber's `shard`); the report judges only
   * what the shard ran, and `merge` combines the shards' directories into the whole run's report.
   */
  readonly shard?: string;
  /** Capabilities whose absence fails the run (`all`: every capability). */
  readonly require?: readonly string[];
  /** Scenario name filters (regular expressions); like `tags`, they narrow what the run judges. */
  readonly names?: readonly string[];
  /** Stop at the first failing scenario. */
  readonly failFast?: boolean;
  /** Match the steps only: no implementation is started, no conformance report written. */
  readonly dryRun?: boolean;
  /** Cucumber's own output with stack traces. */
  readonly debug?: boolean;
}

/** `--tags @MAP-04 --name "second map"`: how the user narrowed a run, or undefined. */
export function narrowing(options: Pick<RunOptions, 'tags' | 'names'>): string | undefined {
  const parts = [
    ...(options.tags !== undefined && options.tags.trim() !== '' ? [`--tags ${options.tags}`] : []),
    ...(options.names ?? []).map((n) => `--name ${JSON.stringify(n)}`),
  ];
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** `<index>/<total>` with 1 ≤ index ≤ total, or undefined. */
export function parseShard(text: string): { index: number; total: number } | undefined {
  const match = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text.trim());
  if (match === null) return undefined;
  const index = Number(match[1]);
  const total = Number(match[2]);
  return index <= total ? { index, total } : undefined;
}

/**
 * Cucumber's own step timeout for a run: above what the per-call timeout lets any step take (a
 * handshake, and up to {@link STEP_TIMEOUT_CALLS} calls each given the whole per-call timeout), so
 * that the per-call timeout of an implementation in another process always fires first and the
 * hang is charged, with the program's standard error, to the call and the scenario that hung. It
 * only ever fires for an in-process implementation that never settles a promise.
 */
export const STEP_TIMEOUT_CALLS = 20;
export function stepTimeoutMs(options: { readonly timeoutMs?: number; readonly helloTimeoutMs?: number }): number {
  return helloBudget(options) + STEP_TIMEOUT_CALLS * (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}

export const RUN_DEFAULTS = { impl: 'inproc:reference', profile: 'normative', out: 'reports' } as const satisfies RunOptions;

/** One implementation's run: where its reports are and what it ended with. */
export interface ImplementationRun {
  /** The spec as given. */
  readonly spec: string;
  /** Its reports' directory, absolute. */
  readonly outDir: string;
  /** Its reports' directory relative to `<out>`: `''` for a run of one implementation. */
  readonly dir: string;
  readonly report: ConformanceReport;
  readonly exitCode: ExitCode;
}

const OUTCOME_TEXT = {
  conformant: 'CONFORMANT',
  'non-conformant': 'NOT CONFORMANT',
  'harness-error': 'HARNESS OR IMPLEMENTATION ERROR',
} as const;

/** Text from an implementation, safe for a terminal line (no control characters, bounded). */
const terminalText = (text: string): string => escapeForTerminal(text, 200);

interface ScenarioCounts {
  passed: number;
  failed: number;
  skipped: number;
  notApplicable: number;
  knownFailures: number;
}

function countScenarios(report: ConformanceReport): ScenarioCounts {
  // A failure of a rule the profile does not count (a reference choice made differently) is no
  // failure of the run: skipped, as junit.xml has it.
  const verdicts = report.rules.flatMap((rule) =>
    rule.scenarios.map((scenario) => (scenario.verdict === 'fail' && !isCounted(rule, report.profile) && scenario.contract !== true ? 'differs' : scenario.verdict)),
  );
  const count = (...wanted: (Verdict | 'differs')[]) => verdicts.filter((v) => wanted.includes(v)).length;
  const notApplicable = count('not-applicable');
  const knownFailures = count('known-failure');
  return { passed: count('pass'), failed: count('fail', 'error', 'unexpected-pass'), skipped: notApplicable + knownFailures + count('differs'), notApplicable, knownFailures };
}

/** The plain closing line CI systems read ("N passed, N failed"). */
function closingLine(c: ScenarioCounts): string {
  return `scenarios: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}

/** Prints the denominators, the result and the problems of a report, and warns about TODO expectations. */
export function printReportSummary(report: ConformanceReport, context: CommandContext): void {
  const { stdout, stderr } = context.io;
  for (const line of notPassedLines(report)) writeLine(stdout, line);
  for (const line of denominatorLines(report)) writeLine(stdout, line);
  writeLine(stdout, terminalResultLine(report));
  for (const problem of report.problems) writeLine(stderr, `problem: ${problem.message}`);
  const x = report.expectations;
  if (x !== undefined) {
    writeLine(stdout, `expectations: ${x.file}: ${x.met} met, ${x.unexpectedPasses} unexpected pass, ${x.mismatches} with another verdict, ${x.notRun} not run`);
    for (const rule of report.rules) {
      const targets = [
        { e: rule.expectation, target: `rule ${rule.id}` },
        ...rule.scenarios.map((s) => ({ e: s.expectation, target: `scenario ${JSON.stringify(s.name)} of rule ${rule.id}` })),
      ];
      for (const { e, target } of targets) {
        if (e === undefined || e.status === 'met' || e.status === 'not-run') continue;
        const what = e.status === 'unexpected-pass' ? 'passed' : `was ${e.measured}`;
        writeLine(stderr, `expectation not met: ${x.file}: expectations[${e.entry}] (${target}) expects ${e.expected}, but it ${what}`);
      }
    }
    if (x.todo.length > 0) {
      writeLine(stderr, `warning: ${x.file}: ${x.todo.length} expectation(s) still have a TODO reason (${x.todo.join(', ')}): write why each fails before committing the file`);
    }
  }
  const counts = countScenarios(report);
  if (counts.knownFailures > 0) writeLine(stdout, `skipped: ${counts.notApplicable} not applicable, ${counts.knownFailures} known failures`);
  writeLine(stdout, closingLine(counts));
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
 * A directory name for an implementation: lowercase letters, digits and dashes only, whatever its
 * name holds, at most 48 characters; `implementation` when nothing is left.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 48)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'implementation' : slug;
}

/** Unique slugs, in order: a repeated one gets `-2`, `-3`, … */
export function uniqueSlugs(texts: readonly string[]): string[] {
  const used = new Set<string>();
  return texts.map((text) => {
    const base = slugify(text);
    let slug = base;
    for (let n = 2; used.has(slug); n += 1) slug = `${base}-${n}`;
    used.add(slug);
    return slug;
  });
}

/**
 * `module:<path>` with a relative path becomes absolute against the user's directory, so that the
 * scenarios (and Cucumber's parallel workers, which run in the package root) load the same file.
 */
export function absoluteSpec(spec: string, cwd: string): string {
  const prefix = 'module:';
  if (!spec.startsWith(prefix) || path.isAbsolute(spec.slice(prefix.length))) return spec;
  return `${prefix}${path.resolve(cwd, spec.slice(prefix.length))}`;
}

/** Every guest with every host, as `pair:` specs; a side not given is the reference's half. */
function pairings(options: RunOptions, cwd: string): string[] {
  if (options.guest === undefined && options.host === undefined) return [];
  const guests = options.guest?.length ? options.guest : [RUN_DEFAULTS.impl];
  const hosts = options.host?.length ? options.host : [RUN_DEFAULTS.impl];
  return guests.flatMap((guest) => hosts.map((host) => pairSpec(absoluteSpec(guest, cwd), absoluteSpec(host, cwd))));
}

const worst = (codes: readonly ExitCode[]): ExitCode => codes.reduce<ExitCode>((a, b) => (b > a ? b : a), EXIT.CONFORMANT);

interface Described {
  readonly spec: string;
  readonly resolvedSpec: string;
  readonly summary: ImplementationSummary;
  /** Why it could not be described: its run becomes a harness error. */
  readonly failure?: string;
}

async function loadExpectationFiles(options: RunOptions, context: CommandContext): Promise<LoadedExpectations[]> {
  const files = options.expect ?? [];
  const loaded: LoadedExpectations[] = [];
  for (const file of files) loaded.push(await loadExpectations(file, context.io.cwd, { allowMissing: options.updateExpectations === true }));
  return loaded;
}

function usage(context: CommandContext, message: string): never {
  writeLine(context.io.stderr, message);
  throw new ExitError(EXIT.USAGE, message);
}

/**
 * `run`: runs the features against each implementation in turn, then writes Cucumber's reports
 * (cucumber.html, messages.ndjson, junit.xml) and the conformance reports (conformance.json,
 * conformance.md), whatever the verdicts: into `<out>` for one implementation, into
 * `<out>/<slug>/` each for several, plus `<out>/comparison.md` and `<out>/comparison.html`.
 * Expectations files (`expect`) are applied to the implementation each names, and rewritten from
 * the run with `updateExpectations`. Throws {@link ExitError} with the worst exit code over the
 * implementations (2 > 1 > 0) unless every one is conformant; usage errors (3) come before
 * anything runs.
 */
export async function runCommand(options: RunOptions, context: CommandContext): Promise<readonly ImplementationRun[]> {
  const { io } = context;
  const outRoot = path.resolve(io.cwd, options.out);
  const wholes = typeof options.impl === 'string' ? [options.impl] : [...options.impl];
  const specs = [...wholes, ...pairings(options, io.cwd)];
  if (specs.length === 0) specs.push(RUN_DEFAULTS.impl);
  const several = specs.length > 1;

  if (options.updateExpectations && (options.expect ?? []).length === 0) {
    usage(context, '--update-expectations needs --expect <file>: the file to rewrite (it may not exist yet)');
  }
  let files: LoadedExpectations[];
  try {
    files = await loadExpectationFiles(options, context);
  } catch (error) {
    if (error instanceof ExpectationsFileError) usage(context, error.message);
    throw error;
  }

  if (options.shard !== undefined && parseShard(options.shard) === undefined) {
    usage(context, `--shard ${options.shard}: expected <index>/<total> with 1 <= index <= total, e.g. 2/3`);
  }
  // One run per output directory: the lock is taken before anything is written (or started), and
  // what an earlier run left there is removed (src/cli/outDir.ts).
  const outDisplay = path.relative(io.cwd, outRoot) || '.';
  return withOutDir(outRoot, outDisplay, (message) => usage(context, message), () => runLocked(options, context, { outRoot, specs, several, files }));
}

async function runLocked(
  options: RunOptions,
  context: CommandContext,
  { outRoot, specs, several, files }: { outRoot: string; specs: readonly string[]; several: boolean; files: LoadedExpectations[] },
): Promise<readonly ImplementationRun[]> {
  const { io } = context;
  // The same options, the cwd included, as the scenarios' Before hook resolves with: one process.
  const resolveOptions = {
    cwd: io.cwd,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.helloTimeoutMs !== undefined ? { helloTimeoutMs: options.helloTimeoutMs } : {}),
    ...(options.validateProtocol ? { validateProtocol: true } : {}),
  };
  const described: Described[] = [];
  for (const spec of specs) {
    const resolvedSpec = absoluteSpec(spec, io.cwd);
    if (options.dryRun === true) {
      // A dry run starts no implementation.
      described.push({ spec, resolvedSpec, summary: { name: spec, version: '(dry run)', language: 'unknown' } });
      continue;
    }
    try {
      described.push({ spec, resolvedSpec, summary: await context.describeImplementation(resolvedSpec, resolveOptions) });
      // Cucumber's parallel workers start their own: the one describing started must not idle all run.
      if (options.parallel !== undefined && options.parallel > 0) await context.releaseImplementation?.(resolvedSpec, resolveOptions);
    } catch (error) {
      // A spec that names no implementation: usage, not a run.
      if (error instanceof ExitError) usage(context, error.message);
      const failure = `cannot resolve implementation "${spec}": ${(error as Error).message}`;
      described.push({ spec, resolvedSpec, summary: { name: spec, version: 'unknown', language: 'unknown' }, failure });
    }
  }

  let assigned: readonly (LoadedExpectations | undefined)[];
  try {
    const identities = described.map((d) => (d.failure === undefined ? { spec: d.spec, name: d.summary.name } : { spec: d.spec }));
    const assignment = assignExpectations(files, identities, { lenient: described.some((d) => d.failure !== undefined) });
    for (const file of assignment.unmatched) writeLine(io.stderr, `warning: expectations file ${file} names no implementation that could be started; not applied`);
    assigned = assignment.files;
  } catch (error) {
    if (error instanceof ExpectationsFileError) usage(context, error.message);
    throw error;
  }

  const slugs = several ? uniqueSlugs(described.map((d) => (d.failure === undefined ? d.summary.name : d.spec))) : [''];
  const runs: ImplementationRun[] = [];
  for (const [i, implementation] of described.entries()) {
    const dir = slugs[i]!;
    if (several) {
      writeLine(io.stdout);
      writeLine(io.stdout, `== ${i + 1}/${described.length}: ${terminalText(implementation.summary.name)} ${terminalText(implementation.summary.version)} (${terminalText(implementation.spec)}) -> ${path.relative(io.cwd, path.join(outRoot, dir)) || '.'}`);
    }
    runs.push(await runImplementation(implementation, assigned[i], path.join(outRoot, dir), dir, options, context));
  }

  // A dry run judged nothing: no comparison.
  if (several && options.dryRun !== true) {
    // Only a run of several implementations compares them: the comparison's renderers load then.
    const { buildComparison, COMPARISON_FORMATS } = await import('../../report/comparison/index.js');
    const comparison = buildComparison(
      runs.map((r) => ({ report: r.report, spec: r.spec, dir: r.dir })),
      { generatedAt: (context.now?.() ?? new Date()).toISOString() },
    );
    for (const format of Object.values(COMPARISON_FORMATS) as ComparisonFormat[]) await writeFileAtomic(path.join(outRoot, format.file), format.render(comparison));
    writeLine(io.stdout);
    writeLine(io.stdout, `== all ${runs.length} implementations`);
    for (const r of runs) {
      writeLine(io.stdout, `${terminalText(r.report.implementation.name)} ${terminalText(r.report.implementation.version)}: ${OUTCOME_TEXT[r.report.outcome]} (exit ${r.exitCode}) in ${r.dir}/`);
    }
    writeLine(io.stdout, `comparison: ${Object.values(COMPARISON_FORMATS).map((f) => path.relative(io.cwd, path.join(outRoot, f.file)) || f.file).join(', ')}`);
    const total = runs.map((r) => countScenarios(r.report)).reduce((a, b) => ({
      passed: a.passed + b.passed,
      failed: a.failed + b.failed,
      skipped: a.skipped + b.skipped,
      notApplicable: a.notApplicable + b.notApplicable,
      knownFailures: a.knownFailures + b.knownFailures,
    }));
    writeLine(io.stdout, closingLine(total));
  }

  const signal = interruptedBy();
  if (signal !== undefined) {
    writeLine(io.stderr, `interrupted by ${signal}: the reports hold what was measured so far and are marked incomplete (exit ${INTERRUPT_EXIT_CODES[signal]})`);
    throw new ExitError(INTERRUPT_EXIT_CODES[signal], `interrupted by ${signal}`);
  }
  const code = worst(runs.map((r) => r.exitCode));
  if (code !== EXIT.CONFORMANT) throw new ExitError(code, several ? `worst exit code over ${runs.length} implementations: ${code}` : `exit ${code}`);
  return runs;
}

async function runImplementation(
  implementation: Described,
  expectations: LoadedExpectations | undefined,
  outDir: string,
  dir: string,
  options: RunOptions,
  context: CommandContext,
): Promise<ImplementationRun> {
  const { io } = context;
  const paths = suitePaths(context.root);
  const problems: ReportProblem[] = [];
  if (implementation.failure !== undefined) problems.push({ kind: 'implementation-error', message: implementation.failure });

  // A pairing is judged on the rules of the halves under test only (docs/halves.md).
  const judged = judgedHalves(implementation.resolvedSpec);
  const halfTags = judgedTagExpression(judged);
  const tags = halfTags === undefined ? options.tags : options.tags === undefined ? halfTags : `(${options.tags}) and (${halfTags})`;

  let envelopes: readonly Envelope[] = [];
  const abandon = abandonment(options.interruptGraceMs);
  // The live line on a terminal, a progress line every few seconds in a log (src/cli/progress.ts).
  const progress = options.debug === true ? undefined : new Progress({ stream: io.stdout, tty: io.isTTY && !io.ci });
  if (implementation.failure === undefined && interruptedBy() === undefined) {
    const result = await context.runCucumber({
      cwd: context.root,
      paths: paths.featureGlobs,
      importPaths: paths.stepGlobs,
      outDir,
      ...(tags !== undefined ? { tags } : {}),
      worldParameters: {
        implementation: implementation.resolvedSpec,
        // A `cmd:` line runs where the user ran us, also in Cucumber's parallel workers (package root).
        implementationCwd: io.cwd,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.helloTimeoutMs !== undefined ? { helloTimeoutMs: options.helloTimeoutMs } : {}),
        ...(options.validateProtocol ? { validateProtocol: true } : {}),
      },
      // Cucumber's own output (--debug) prints an implementation's messages: escaped on the way.
      stdout: options.debug === true ? escapingStream(io.stdout) : io.stdout,
      stderr: io.stderr,
      env: io.env,
      interactive: io.isTTY && !io.ci,
      ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
      ...(options.shard !== undefined ? { shard: options.shard } : {}),
      stepTimeoutMs: stepTimeoutMs(options),
      abandon: abandon.promise,
      ...(options.names !== undefined && options.names.length > 0 ? { names: options.names } : {}),
      ...(options.failFast === true ? { failFast: true } : {}),
      ...(options.dryRun === true ? { dryRun: true } : {}),
      ...(progress !== undefined ? { onMessage: progress.onEnvelope, cucumberOutput: false } : {}),
    });
    progress?.finish();
    if (result.error) {
      problems.push({ kind: 'cucumber-error', message: `Cucumber failed: ${result.error.message}` });
    }
    if (result.envelopes !== undefined) {
      envelopes = result.envelopes;
    } else {
      const read = await readEnvelopes(result.messagesFile);
      envelopes = read.envelopes;
      problems.push(...read.problems);
    }
    if (options.dryRun === true) {
      abandon.cancel();
      return dryRunResult(implementation, envelopes, problems, outDir, dir, context);
    }
  }
  abandon.cancel();
  const signal = interruptedBy();
  if (signal !== undefined) {
    envelopes = withoutInterrupted(envelopes);
    problems.push({ kind: 'run-interrupted', message: `the run was interrupted by ${signal}: the scenarios it did not run, or cut short, are not run` });
  }

  const full = catalogueFromRun(envelopes) ?? (await loadCatalogue(paths.featureDir, { root: context.root }));
  const catalogue = { ...full, rules: full.rules.filter((rule) => rule.halves.some((half) => judged.includes(half))) };

  // The statements the rules cite, so the report can show them; a package without spec/ shows ids only.
  const spec = (await loadSpec(path.join(context.root, 'spec'), { root: context.root })).statements;
  const built = buildReport({
    catalogue,
    ...(spec.size > 0 ? { spec } : {}),
    envelopes,
    harness: await readHarnessInfo(context.root),
    implementation: implementation.summary,
    profile: options.profile,
    generatedAt: (context.now?.() ?? new Date()).toISOString(),
    problems,
    scope: {
      halves: judged,
      ...(narrowing(options) !== undefined ? { narrowedBy: narrowing(options) } : {}),
      ...(options.failFast === true ? { failFast: true } : {}),
    },
    ...(options.require !== undefined ? { required: options.require } : {}),
  });
  const measured = options.shard !== undefined ? judgedAsShard({ ...built, run: { ...built.run, shard: options.shard } }) : built;

  let report = measured;
  if (expectations !== undefined) {
    let content = expectations.content;
    if (options.updateExpectations) {
      if (measured.problems.length > 0 || signal !== undefined) {
        writeLine(io.stderr, `warning: not rewriting ${expectations.file}: the run had problems, so it measured too little to rewrite from`);
      } else {
        const update = updateExpectations(measured, content, implementation.spec, expectations.file);
        await writeFileAtomic(expectations.path, renderExpectationsFile(update.content));
        content = update.content;
        writeLine(
          io.stdout,
          `expectations: rewrote ${expectations.file}: ${update.content.expectations.length} entries (${update.added.length} added, ${update.removed.length} removed, ${update.changed.length} changed)`,
        );
        for (const target of update.added) writeLine(io.stdout, `  added ${target}: TODO: explain`);
        for (const { target, why } of update.removed) writeLine(io.stdout, `  removed ${target}: ${why}`);
        for (const { target, from, to } of update.changed) writeLine(io.stdout, `  changed ${target}: ${from} -> ${to}`);
      }
    }
    if (content !== undefined) report = applyExpectations(measured, content, expectations.file);
    if (options.shard !== undefined) report = judgedAsShard(report);
  }
  if (signal !== undefined) {
    const ran = report.rules.flatMap((r) => r.scenarios).filter((sc) => sc.verdict !== 'not-run').length;
    const total = report.rules.flatMap((r) => r.scenarios).length;
    report = {
      ...report,
      incomplete: {
        reason: 'interrupted',
        signal,
        message: `the run was interrupted by ${signal} after ${ran} of ${total} scenarios: this report holds what was measured until then; the rest is not run.`,
      },
    };
  }
  await writeReports(report, outDir);

  writeLine(io.stdout);
  const files = [...new Set([...Object.values(REPORT_FORMATS).map((f) => f.file), ...Object.values(CUCUMBER_OUTPUTS)])];
  writeLine(io.stdout, `reports: ${files.map((f) => path.relative(io.cwd, path.join(outDir, f)) || f).join(', ')}`);
  printReportSummary(report, context);
  return { spec: implementation.spec, outDir, dir, report, exitCode: exitCodeForOutcome(report.outcome) };
}

/**
 * The catalogue of the feature files Cucumber parsed for the run (it emits every file's
 * GherkinDocument, whatever the tags select), named as Cucumber names them from the package root
 * and in path order, as {@link loadCatalogue} reads them: the features are not parsed twice.
 * Undefined when the run parsed nothing, or a file failed to parse: the files are read then, so
 * that the parse error is a problem of the report.
 */
export function catalogueFromRun(envelopes: readonly Envelope[]): Catalogue | undefined {
  if (envelopes.some((e) => e.parseError !== undefined)) return undefined;
  const documents = envelopes.flatMap((e) => (e.gherkinDocument?.uri !== undefined ? [{ uri: e.gherkinDocument.uri, document: e.gherkinDocument }] : []));
  if (documents.length === 0) return undefined;
  return catalogueFromDocuments(documents.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)));
}

/**
 * The messages of an interrupted run without the test cases the interruption skipped or cut
 * short: those the Before or After hook marked with an {@link INTERRUPTED_MEDIA_TYPE} attachment,
 * and those that never finished or never started (a run abandoned in the middle of a step). Their
 * scenarios are then `not-run`, as if they had never been started; what finished stays.
 */
export function withoutInterrupted(envelopes: readonly Envelope[]): Envelope[] {
  const marked = new Set(envelopes.flatMap((e) => (e.attachment?.mediaType === INTERRUPTED_MEDIA_TYPE && e.attachment.testCaseStartedId !== undefined ? [e.attachment.testCaseStartedId] : [])));
  const finished = new Set(envelopes.flatMap((e) => (e.testCaseFinished && !marked.has(e.testCaseFinished.testCaseStartedId) ? [e.testCaseFinished.testCaseStartedId] : [])));
  const measured = new Set(envelopes.flatMap((e) => (e.testCaseStarted && finished.has(e.testCaseStarted.id) ? [e.testCaseStarted.testCaseId] : [])));
  return envelopes.filter((e) => e.testCase === undefined || measured.has(e.testCase.id));
}

/**
 * A shard's report judges what the shard ran: the rules none of whose scenarios it ran (they ran,
 * or will, in the other shards) are listed as not run but do not make it non-conformant.
 */
export function judgedAsShard(report: ConformanceReport): ConformanceReport {
  const ran = report.rules.filter((rule) => rule.verdict !== 'not-run');
  const outcome = decideOutcome(ran, report.problems, report.profile, judgeOptionsOf(report));
  return { ...report, outcome, conformant: outcome === 'conformant' };
}

/**
 * A dry run (`--dry-run`): Cucumber matched the steps of the selected scenarios and ran nothing.
 * Prints what would run, per level, and every step no definition matches; writes Cucumber's files
 * only. Exit 0, or 2 when a step is undefined or ambiguous (the run would error).
 */
function dryRunResult(
  implementation: Described,
  envelopes: readonly Envelope[],
  problems: readonly ReportProblem[],
  outDir: string,
  dir: string,
  context: CommandContext,
): ImplementationRun {
  const { io } = context;
  const pickles = new Map(envelopes.flatMap((e) => (e.pickle ? [[e.pickle.id, e.pickle] as const] : [])));
  const selected = envelopes.flatMap((e) => (e.testCase ? [pickles.get(e.testCase.pickleId)] : [])).filter((p) => p !== undefined);
  const rules = new Set(selected.flatMap((p) => p.tags.map((t) => /^@([A-Z]+-\d{2})$/.exec(t.name)?.[1]).filter((id) => id !== undefined)));
  const broken = envelopes.flatMap((e) => (e.testStepFinished && ['UNDEFINED', 'AMBIGUOUS'].includes(e.testStepFinished.testStepResult.status) ? [e.testStepFinished] : []));
  writeLine(io.stdout, `dry run: ${selected.length} scenarios of ${rules.size} rules would run; no implementation was started, no conformance report written`);
  for (const p of problems) writeLine(io.stderr, `problem: ${p.message}`);
  if (broken.length > 0) writeLine(io.stderr, `dry run: ${broken.length} steps have no (or more than one) matching step definition: see ${path.relative(io.cwd, path.join(outDir, CUCUMBER_OUTPUTS.html)) || CUCUMBER_OUTPUTS.html}`);
  const outcome = broken.length > 0 || problems.length > 0 ? 'harness-error' : 'conformant';
  const report = {
    harness: { name: 'vmbus-conformance', version: 'dry run' },
    implementation: implementation.summary,
    profile: 'normative',
    generatedAt: (context.now?.() ?? new Date()).toISOString(),
    run: { finished: true },
    totals: { normative: { rules: 0, checked: 0, pass: 0, fail: 0, error: 0, notApplicable: 0, notRun: 0 }, reference: { rules: 0, checked: 0, pass: 0, fail: 0, error: 0, notApplicable: 0, notRun: 0 } },
    conformant: outcome === 'conformant',
    outcome,
    rules: [],
    problems: [...problems],
  } satisfies ConformanceReport;
  return { spec: implementation.spec, outDir, dir, report, exitCode: exitCodeForOutcome(outcome) };
}
