/**
 * `merge <dir>... --out <dir>`: the report of a run that was split into shards (`run --shard i/n`,
 * e.g. the jobs of a CI matrix), from the shards' output directories.
 *
 * The shards' `messages.ndjson` are combined into the message stream one unsharded run would
 * have written (src/cli/mergeMessages.ts), and every report is derived from it as `run` derives
 * them: `messages.ndjson`, `cucumber.html` and `junit.xml` (Cucumber's own formatters, fed the
 * combined stream) and `conformance.json` and `conformance.md`. The verdicts are those of the
 * unsharded run; only timings differ. The implementation and the profile come from the shards'
 * `conformance.json`; `--profile` and `--expect` work as for `run`. Exit codes as for `run`; a
 * directory that is not a shard of the same run, or a scenario that ran in two of them, is a usage
 * error (3).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { loadCatalogue } from '../../catalogue/catalogue.js';
import { loadSpec } from '../../catalogue/spec.js';
import { applyExpectations, ExpectationsFileError, loadExpectations } from '../../expectations/index.js';
import { buildReport } from '../../report/build.js';
import { REPORT_FORMATS, writeReports } from '../../report/formats.js';
import { readHarnessInfo } from '../../report/harness.js';
import { parseMessages } from '../../report/ndjson.js';
import { isProfile, type ConformanceReport, type ImplementationSummary, type Profile, type ReportProblem } from '../../report/types.js';
import type { CommandContext } from '../context.js';
import { CUCUMBER_OUTPUTS } from '../cucumber.js';
import { EXIT, ExitError, exitCodeForOutcome } from '../exit.js';
import { writeLine } from '../io.js';
import { mergeMessages, MergeError } from '../mergeMessages.js';
import { checkOutDir, OutDirError, withOutDir } from '../outDir.js';
import { suitePaths } from '../paths.js';
import { writeCucumberReports } from '../replay.js';
import { parseShard, printReportSummary } from './run.js';

export interface MergeOptions {
  /** The shards' output directories, relative to the cwd. */
  readonly dirs: readonly string[];
  /** Where the merged reports go, relative to the cwd. */
  readonly out: string;
  /** Overrides the profile the shards ran with. */
  readonly profile?: Profile;
  /** An expectations file to apply, as `run --expect` does. */
  readonly expect?: string;
}

interface ShardReport {
  readonly implementation?: ImplementationSummary;
  /** What the shard judged (halves, narrowing) and the capabilities it required, for the merged report. */
  readonly scope?: ConformanceReport['scope'];
  readonly required?: readonly string[];
  readonly profile?: Profile;
  readonly shard?: string;
  readonly ruleIds?: readonly string[];
  readonly incomplete: boolean;
}

async function readShardReport(file: string): Promise<ShardReport> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as Partial<ConformanceReport>;
    const impl = json.implementation;
    return {
      ...(impl && typeof impl.name === 'string' && typeof impl.version === 'string' && typeof impl.language === 'string'
        ? { implementation: { name: impl.name, version: impl.version, language: impl.language, ...(impl.capabilities !== undefined ? { capabilities: impl.capabilities } : {}) } }
        : {}),
      ...(json.scope !== undefined ? { scope: json.scope } : {}),
      ...(Array.isArray(json.capabilities?.required) ? { required: json.capabilities.required } : {}),
      ...(typeof json.profile === 'string' && isProfile(json.profile) ? { profile: json.profile } : {}),
      ...(typeof json.run?.shard === 'string' ? { shard: json.run.shard } : {}),
      ...(Array.isArray(json.rules) ? { ruleIds: json.rules.map((r) => r.id) } : {}),
      incomplete: json.incomplete !== undefined,
    };
  } catch {
    return { incomplete: false };
  }
}

function usage(context: CommandContext, message: string): never {
  writeLine(context.io.stderr, message);
  throw new ExitError(EXIT.USAGE, message);
}

export async function mergeCommand(options: MergeOptions, context: CommandContext): Promise<ConformanceReport> {
  const { io } = context;
  if (options.dirs.length === 0) usage(context, 'merge needs the output directories of the shards: vmbus-conformance merge <dir>... --out <dir>');
  const dirs = options.dirs.map((d) => ({ given: d, abs: path.resolve(io.cwd, d) }));
  const outRoot = path.resolve(io.cwd, options.out);
  for (const d of dirs) {
    if (!existsSync(d.abs)) usage(context, `merge: ${d.given} does not exist`);
    if (d.abs === outRoot) usage(context, `merge: --out ${options.out} is one of the shards' directories; write the merged report elsewhere`);
  }

  const outDisplay = path.relative(io.cwd, outRoot) || '.';
  try {
    await checkOutDir(outRoot, outDisplay);
  } catch (error) {
    if (error instanceof OutDirError) usage(context, error.message);
    throw error;
  }

  const problems: ReportProblem[] = [];
  const shards: { name: string; envelopes: Envelope[] }[] = [];
  const reports: ShardReport[] = [];
  for (const d of dirs) {
    const file = path.join(d.abs, CUCUMBER_OUTPUTS.message);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      writeLine(io.stderr, `merge: cannot read ${path.join(d.given, CUCUMBER_OUTPUTS.message)}: ${(error as Error).message}`);
      throw new ExitError(EXIT.HARNESS_ERROR, 'no messages');
    }
    const parsed = parseMessages(text, path.join(d.given, CUCUMBER_OUTPUTS.message));
    problems.push(...parsed.problems);
    shards.push({ name: d.given, envelopes: parsed.envelopes });
    reports.push(await readShardReport(path.join(d.abs, REPORT_FORMATS.json.file)));
  }

  // What the shards say about themselves: one implementation, one profile, each shard once.
  const names = new Set(reports.flatMap((r) => (r.implementation ? [`${r.implementation.name} ${r.implementation.version}`] : [])));
  if (names.size > 1) usage(context, `merge: the directories are runs of different implementations (${[...names].join(', ')}): merge the shards of one run`);
  const profiles = new Set(reports.flatMap((r) => (r.profile ? [r.profile] : [])));
  if (profiles.size > 1 && options.profile === undefined) usage(context, `merge: the shards ran with different profiles (${[...profiles].join(', ')}): give --profile`);
  const shardNames = reports.flatMap((r) => (r.shard ? [r.shard] : []));
  const totals = new Set(shardNames.map((s) => parseShard(s)?.total));
  if (totals.size === 1) {
    const total = [...totals][0]!;
    const missing = Array.from({ length: total }, (_, i) => `${i + 1}/${total}`).filter((s) => !shardNames.includes(s));
    if (missing.length > 0) writeLine(io.stderr, `warning: merge: shard ${missing.join(', ')} is missing: its scenarios are not run`);
  }
  if (reports.some((r) => r.incomplete)) writeLine(io.stderr, 'warning: merge: a shard was interrupted: its report was incomplete, and so is the merge');

  let envelopes: Envelope[];
  try {
    envelopes = mergeMessages(shards);
  } catch (error) {
    if (error instanceof MergeError) usage(context, `merge: ${error.message}`);
    throw error;
  }

  return withOutDir(outRoot, outDisplay, (message) => usage(context, message), async () => {
    const paths = suitePaths(context.root);
    const full = await loadCatalogue(paths.featureDir, { root: context.root });
    // The rules the shards judged (a pairing's halves), else all of them.
    const judged = reports.find((r) => r.ruleIds !== undefined)?.ruleIds;
    const catalogue = judged === undefined ? full : { ...full, rules: full.rules.filter((rule) => judged.includes(rule.id)) };
    const spec = (await loadSpec(path.join(context.root, 'spec'), { root: context.root })).statements;
    const measured = buildReport({
      catalogue,
      ...(spec.size > 0 ? { spec } : {}),
      envelopes,
      harness: await readHarnessInfo(context.root),
      implementation: reports.find((r) => r.implementation)?.implementation ?? { name: 'unknown implementation', version: 'unknown', language: 'unknown' },
      profile: options.profile ?? [...profiles][0] ?? 'normative',
      generatedAt: (context.now?.() ?? new Date()).toISOString(),
      problems,
      ...scopeOfShards(reports),
    });
    let report = measured;
    if (options.expect !== undefined) {
      let file;
      try {
        file = (await loadExpectations(options.expect, io.cwd)).content!;
      } catch (error) {
        if (error instanceof ExpectationsFileError) usage(context, error.message);
        throw error;
      }
      report = applyExpectations(measured, file, options.expect);
    }
    await writeCucumberReports(envelopes, outRoot, CUCUMBER_OUTPUTS);
    await writeReports(report, outRoot);
    writeLine(io.stdout, `merged ${dirs.length} shard(s): ${dirs.map((d) => d.given).join(', ')}`);
    const files = [...Object.values(REPORT_FORMATS).map((f) => f.file), ...Object.values(CUCUMBER_OUTPUTS)];
    writeLine(io.stdout, `reports: ${files.map((f) => path.relative(io.cwd, path.join(outRoot, f)) || f).join(', ')}`);
    printReportSummary(report, context);
    const code = exitCodeForOutcome(report.outcome);
    if (code !== EXIT.CONFORMANT) throw new ExitError(code, `exit ${code}`);
    return report;
  });
}

/** The scope (halves, narrowing) and the required capabilities the shards ran with, for the merged report. */
function scopeOfShards(reports: readonly ShardReport[]): { scope?: { halves: readonly string[]; narrowedBy?: string }; required?: readonly string[] } {
  const scope = reports.find((r) => r.scope !== undefined)?.scope;
  const required = reports.find((r) => r.required !== undefined)?.required;
  return {
    ...(scope !== undefined ? { scope: { halves: scope.halves, ...(scope.narrowedBy !== undefined ? { narrowedBy: scope.narrowedBy } : {}) } } : {}),
    ...(required !== undefined && required.length > 0 ? { required } : {}),
  };
}
